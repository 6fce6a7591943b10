import type { DovecotNotice, LogEvent } from "../../core/events.ts";
import { parseAntispamMessage } from "../antispam.ts";
import { parseAuthLine } from "./auth.ts";
import { parseDeliveryLine, parseSieveLine } from "./delivery.ts";
import { parseLoginLine } from "./login.ts";
import { isMailLogLine, parseMailLogLine } from "./mail-log.ts";
import { type DovecotPrefix, splitDovecotPrefix, withProcess } from "./prefix.ts";
import { isLogoutLine, parseLmtpConnection, parseLogout } from "./session.ts";

// Processes that handle one user's mail: their unknown info-level lines are reported as unparsed.
const MAIL_SERVICES = new Set([
  "imap",
  "pop3",
  "lmtp",
  "lda",
  "deliver",
  "dovecot-lda",
  "managesieve",
  "submission",
  "indexer-worker",
  "imap-urlauth-worker",
  "imap-hibernate",
  "doveadm",
]);

/** Parses the text of a Dovecot line (`lmtp(user)<pid><session>: …`, `imap-login: …`, …). */
// lmtp(alice@example.com)<29272><855HHABhAmtYcgAAg+zDdQ>: sieve: msgid=<…>: stored mail into mailbox 'INBOX'
export function parseDovecotMessage(program: string, message: string): LogEvent {
  // PAM inside Dovecot 1.x's auth process logs under the ident dovecot-auth: `dovecot-auth: pam_unix(dovecot:auth): …`.
  const prefix =
    program === "dovecot-auth"
      ? { service: program, level: "info" as const, text: message }
      : (splitDovecotPrefix(message) ?? programAsService(program, message));
  if (!prefix) return { kind: "unparsed", reason: "no dovecot service prefix" };
  const { service } = prefix;
  if (service.endsWith("-login")) return parseLoginLine(prefix);
  if (service === "auth" || service.startsWith("auth-") || service === "dovecot-auth")
    return parseAuthLine(prefix);
  if (MAIL_SERVICES.has(service)) return parseMailServiceLine(prefix);
  // master, config, log, anvil, stats, dict, ssl-params, …: whatever they say is a notice.
  return notice(prefix);
}

// Under journald a process may log under its own tag: `lmtp[123]: Connect from local`.
function programAsService(program: string, message: string): DovecotPrefix | null {
  if (program === "dovecot" || !MAIL_SERVICES.has(program) || message === "") return null;
  return { service: program, level: "info", text: message };
}

// sieve: msgid=…  |  msgid=…: saved mail to INBOX  |  Connect from local  |  Disconnected: Logged out …  |  copy from INBOX: box=Junk, …
function parseMailServiceLine(p: DovecotPrefix): LogEvent {
  const { text } = p;
  if (text.startsWith("sieve: msgid=")) return parseSieveLine(p);
  if (text.startsWith("msgid=")) return parseDeliveryLine(p);
  if (text.startsWith("antispam: ")) return parseAntispamMessage(text.slice(10));
  if (p.service === "lmtp") {
    const connection = parseLmtpConnection(p);
    if (connection) return connection;
  }
  if (isLogoutLine(text)) return parseLogout(p);
  if (isMailLogLine(text)) return parseMailLogLine(p);
  if (p.level !== "info" || text.startsWith("sieve: ")) return notice(p);
  return { kind: "unparsed", reason: `unknown dovecot ${p.service} line` };
}

function notice(p: DovecotPrefix): LogEvent {
  const event: DovecotNotice = { kind: "dovecot.notice", service: p.service, level: p.level, text: p.text };
  if (p.user !== undefined) event.user = p.user;
  return withProcess(event, p);
}
