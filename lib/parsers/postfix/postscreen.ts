// postscreen(8): the screening verdicts on a client `[addr]:port` (never a queue id) and its NOQUEUE
// rejects, whose tail is comma-separated unlike smtpd's.
import type { LogEvent, Postscreen } from "../../core/events.ts";
import { type PostfixTag, readClient } from "./shared.ts";
import { parseWhatsup, readAction } from "./whatsup.ts";

// The upper-case words postscreen starts its lines with (postscreen.c, postscreen_*.c).
const ACTIONS = [
  "CONNECT",
  "PASS NEW",
  "PASS OLD",
  "DISCONNECT",
  "PREGREET",
  "HANGUP",
  "DNSBL",
  "ALLOWLISTED",
  "DENYLISTED",
  "WHITELISTED",
  "BLACKLISTED",
  "ALLOWLIST VETO",
  "WHITELIST VETO",
  "COMMAND TIME LIMIT",
  "COMMAND COUNT LIMIT",
  "COMMAND LENGTH LIMIT",
  "COMMAND PIPELINING",
  "NON-SMTP COMMAND",
  "BARE NEWLINE",
  "DATA without valid RCPT",
  "BDAT without valid RCPT",
];

/** Parses one postscreen message; null when it is none of postscreen's own shapes. */
export function parsePostscreen(tag: PostfixTag, message: string): LogEvent | null {
  if (message.startsWith("NOQUEUE: ")) {
    // NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<spammer@example.com>, to=<goodguy@example.com>, proto=ESMTP, helo=<badguy.example.com>
    const head = readAction(message.slice(9));
    return head ? parseWhatsup(tag, null, head.action, head.body, ", ") : null;
  }
  const code = message.charCodeAt(0);
  if (code < 65 || code > 90) return null;
  for (const action of ACTIONS) {
    if (message.startsWith(action) && message.charCodeAt(action.length) === 32) {
      return parseVerdict(tag, action, message.slice(action.length + 1));
    }
  }
  return null;
}

/**
 * The rest after the action word: `[addr]:port`, `from [addr]:port[ more]`, `for [addr]:port`, or a
 * detail before the client (`14 after 0.08 from [addr]:port: EHLO …`, `rank 2 for [addr]:port`).
 */
// CONNECT from [1.2.3.4]:55382 to [4.5.6.7]:25   |   DNSBL rank 2 for [1.2.3.4]:55382   |   PASS OLD [61.238.241.86]:53024
function parseVerdict(tag: PostfixTag, action: string, rest: string): Postscreen | null {
  const open = rest.indexOf("[");
  if (open === -1) return null;
  let before = rest.slice(0, open);
  if (before.endsWith("from ")) before = before.slice(0, -5);
  else if (before.endsWith("for ")) before = before.slice(0, -4);
  const client = readClient(rest, open);
  if (!client || client.port === undefined) return null;
  const after = rest.slice(client.end);
  const detail =
    `${before.trim()}${after.startsWith(":") ? after : after === "" ? "" : ` ${after.trim()}`}`.trim();
  const event: Postscreen = {
    kind: "postfix.postscreen",
    service: tag.service,
    daemon: tag.daemon,
    action,
    clientIp: client.ip,
    clientPort: client.port,
  };
  if (detail !== "") event.detail = detail;
  return event;
}
