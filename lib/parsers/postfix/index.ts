import type { LogEvent } from "../../core/events.ts";

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

/** Splits `postfix/submission/smtpd` into service `postfix/submission` and daemon `smtpd`; null if not Postfix. */
export function splitPostfixTag(program: string): { service: string; daemon: string } | null {
  const slash = program.lastIndexOf("/");
  if (slash === -1) return program.startsWith("postfix") ? { service: program, daemon: program } : null;
  const daemon = program.slice(slash + 1);
  const service = program.slice(0, slash).replace(/^\/+/, "");
  if (service.startsWith("postfix") || POSTFIX_DAEMONS.has(daemon)) return { service, daemon };
  return null;
}

/** Parses the text of a Postfix line (after `postfix/…[pid]: `). */
export function parsePostfixMessage(program: string, _message: string): LogEvent {
  const tag = splitPostfixTag(program);
  if (!tag) return { kind: "unparsed", reason: "not a Postfix program" };
  return { kind: "unparsed", reason: `no parser for postfix daemon ${tag.daemon} yet` };
}
