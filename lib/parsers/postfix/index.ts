// The Postfix family: splits the syslog tag into service and daemon, then hands the message to the
// parser of that daemon; lines no daemon parser knows get a try as generic notices.
import type { LogEvent } from "../../core/events.ts";
import { parseBounce } from "./bounce.ts";
import { parseCleanup } from "./cleanup.ts";
import { parseAgentQueued } from "./delivery.ts";
import { parseNotice } from "./notice.ts";
import { parsePickup } from "./pickup.ts";
import { parsePostscreen } from "./postscreen.ts";
import { parsePostsuper } from "./postsuper.ts";
import { parseQmgr } from "./qmgr.ts";
import { type DaemonParser, leadingQueueId, type PostfixTag, unparsed } from "./shared.ts";
import { parseSmtpd } from "./smtpd.ts";

// Daemons that identify a Postfix tag even when syslog_name does not start with "postfix".
const POSTFIX_DAEMONS = new Set([
  "anvil",
  "bounce",
  "cleanup",
  "defer",
  "discard",
  "dnsblog",
  "error",
  "flush",
  "lmtp",
  "local",
  "master",
  "oqmgr",
  "pickup",
  "pipe",
  "postdrop",
  "postfix-script",
  "postlogd",
  "postmap",
  "postqueue",
  "postscreen",
  "postsuper",
  "proxymap",
  "qmgr",
  "qmqpd",
  "retry",
  "scache",
  "sendmail",
  "showq",
  "smtp",
  "smtpd",
  "spawn",
  "tlsmgr",
  "tlsproxy",
  "trace",
  "trivial-rewrite",
  "verify",
  "virtual",
  "postalias",
  "postconf",
  "postmulti",
  "postlog",
  "postkick",
  "postcat",
  "postlock",
]);

// Tags repeat a lot (a dozen distinct ones per server): remember the split, bounded.
const tagCache = new Map<string, PostfixTag | null>();
const TAG_CACHE_MAX = 512;

/** Splits `postfix/submission/smtpd` into service `postfix/submission` and daemon `smtpd`; null if not Postfix. */
export function splitPostfixTag(program: string): PostfixTag | null {
  const cached = tagCache.get(program);
  if (cached !== undefined) return cached;
  const tag = computeTag(program);
  if (tagCache.size >= TAG_CACHE_MAX) tagCache.clear();
  tagCache.set(program, tag);
  return tag;
}

function computeTag(program: string): PostfixTag | null {
  const slash = program.lastIndexOf("/");
  if (slash === -1) {
    return program.startsWith("postfix") ? Object.freeze({ service: program, daemon: program }) : null;
  }
  const daemon = program.slice(slash + 1);
  // /postfix-script[115413]: starting the Postfix mail system   (a leading slash seen in real files)
  const service = program.slice(0, slash).replace(/^\/+/, "");
  if (service.startsWith("postfix") || POSTFIX_DAEMONS.has(daemon)) return Object.freeze({ service, daemon });
  return null;
}

// A delivery agent's queue-file lines: per-recipient status, or a note about the remote host.
const parseAgent: DaemonParser<LogEvent> = (tag, message) => {
  const queueId = leadingQueueId(message);
  return queueId ? parseAgentQueued(tag, queueId, message.slice(queueId.length + 2)) : null;
};

const PARSERS = new Map<string, DaemonParser<LogEvent>>([
  ["smtpd", parseSmtpd],
  ["cleanup", parseCleanup],
  ["qmgr", parseQmgr],
  ["oqmgr", parseQmgr],
  ["pickup", parsePickup],
  ["bounce", parseBounce],
  ["defer", parseBounce],
  ["trace", parseBounce],
  ["postsuper", parsePostsuper],
  ["postscreen", parsePostscreen],
  ...["smtp", "lmtp", "local", "virtual", "pipe", "error", "retry", "discard"].map(
    (daemon) => [daemon, parseAgent] as [string, DaemonParser<LogEvent>],
  ),
]);

/** Parses the text of a Postfix line (after `postfix/…[pid]: `); never throws, unknown shapes are unparsed. */
export function parsePostfixMessage(program: string, message: string): LogEvent {
  const tag = splitPostfixTag(program);
  if (!tag) return unparsed("not a Postfix program");
  const parser = PARSERS.get(tag.daemon);
  const event = parser?.(tag, message) ?? parseNotice(tag, message);
  if (event) return event;
  if (!POSTFIX_DAEMONS.has(tag.daemon)) return unparsed(`unknown postfix daemon ${tag.daemon}`);
  return unparsed(
    leadingQueueId(message) ? `unknown ${tag.daemon} line after a queue id` : `unknown ${tag.daemon} line`,
  );
}
