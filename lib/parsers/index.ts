import type { LogEvent } from "../core/events.ts";
import { isRspamcOutput } from "../filters/rspamd/learn-script.ts";
import { parseRspamcOutput, parseRspamdSyslog } from "../filters/rspamd/log-event.ts";
import { parseAntispamMessage } from "./antispam.ts";
import { parseDovecotMessage } from "./dovecot/index.ts";
import { parseDspamMessage, parseDspamSummary } from "./dspam-syslog.ts";
import { parsePostfixMessage, splitPostfixTag } from "./postfix/index.ts";

/** Which parser family a syslog program tag belongs to. */
export type Family =
  | "postfix"
  | "dspam"
  | "dspam-summary"
  | "dovecot"
  | "dovecot-pam"
  | "antispam"
  | "rspamd"
  | "rspamc"
  | "other";

// Dovecot processes that may log under their own name (journald, or an imap process without openlog()).
const DOVECOT_PROGRAMS = new Set([
  "dovecot",
  "imap",
  "pop3",
  "lmtp",
  "lda",
  "deliver",
  "dovecot-lda",
  "managesieve",
]);

/** Picks the parser family from the program tag (and, for `imap:`, the antispam prefix). */
export function familyOf(program: string, message: string): Family {
  if (splitPostfixTag(program)) return "postfix";
  if (program === "dspam") return "dspam";
  // dspam --deliver=summary output, whoever logged it (a pipe, procmail, a delivery script).
  if (message.startsWith("X-DSPAM-Result: ")) return "dspam-summary";
  if (message.startsWith("antispam: ")) return "antispam";
  if (DOVECOT_PROGRAMS.has(program) || program.startsWith("dovecot")) return "dovecot";
  // PAM's own line from inside Dovecot's auth process, under the ident "auth".
  if (program === "auth" && message.startsWith("pam_unix(dovecot:")) return "dovecot-pam";
  if (program === "rspamd") return "rspamd";
  // rspamc's output, logged by a retraining script under whatever tag it chose (learn-spam,
  // sieve-learn, logger's default): recognised by its text.
  if (isRspamcOutput(message)) return "rspamc";
  return "other";
}

/** Turns one program message into a typed event; never throws. */
export function parseEvent(program: string, message: string): LogEvent {
  try {
    switch (familyOf(program, message)) {
      case "postfix":
        return parsePostfixMessage(program, message);
      case "dspam":
        return parseDspamMessage(message);
      case "dspam-summary":
        return parseDspamSummary(message);
      case "antispam":
        return parseAntispamMessage(message.slice("antispam: ".length));
      case "dovecot":
        return parseDovecotMessage(program, message);
      case "dovecot-pam":
        return parseDovecotMessage("dovecot-auth", message);
      case "rspamd":
        return parseRspamdSyslog(message);
      case "rspamc":
        return parseRspamcOutput(program, message);
      case "other":
        return { kind: "other" };
    }
  } catch (error) {
    // Parsers are written not to throw; if one does, the line is kept as unparsed, not lost.
    return { kind: "unparsed", reason: `parser error: ${(error as Error).message}` };
  }
}
