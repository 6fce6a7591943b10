import type { LogEvent } from "../../core/events.ts";

/** Parses the text of a Dovecot line (`lmtp(user)<pid><session>: …`, `imap-login: …`, …). */
export function parseDovecotMessage(_program: string, _message: string): LogEvent {
  return { kind: "unparsed", reason: "no dovecot parser yet" };
}
