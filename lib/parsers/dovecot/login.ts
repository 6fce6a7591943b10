import type { DovecotLogin, LogEvent } from "../../core/events.ts";
import type { DovecotPrefix } from "./prefix.ts";

// imap-login, pop3-login, submission-login, managesieve-login (src/login-common/client-common.c,
// login_log_format_elements = user=<%u> method=%m rip=%r lip=%l mpid=%e %c session=<%{session}>):
//   `Login: user=<…>, method=PLAIN, rip=…, lip=…, mpid=…, TLS, session=<…>`
//   `REASON (auth failed, 1 attempts in 2 secs): user=<…>, …` and the 2.4 `Login aborted: …` form.

// Where the fields start: the first of these markers found in the text.
const FIELD_MARKERS = [": user=<", ": method=", ": rip="];

/** Parses a line of a `*-login` process. */
// imap-login: Disconnected (auth failed, 1 attempts in 2 secs): user=<alice>, method=PLAIN, rip=192.0.2.200, lip=127.0.0.1, secured, session=<…>
export function parseLoginLine(p: DovecotPrefix): LogEvent {
  const { text } = p;
  let at = -1;
  for (const marker of FIELD_MARKERS) {
    at = text.indexOf(marker);
    if (at !== -1) break;
  }
  const head = at === -1 ? text : text.slice(0, at);
  const result = resultOf(head);
  if (at === -1 && result === "unknown") {
    return p.level === "info"
      ? { kind: "unparsed", reason: `unknown ${p.service} line` }
      : { kind: "dovecot.notice", service: p.service, level: p.level, text };
  }
  const event: DovecotLogin = { kind: "dovecot.login", service: p.service, result };
  if (p.pid !== undefined) event.processId = p.pid;
  if (result !== "login") event.reason = head;
  if (at !== -1) readFields(event, text.slice(at + 2));
  return event;
}

// Login  |  Aborted login (auth failed, …)  |  Disconnected (no auth attempts in 0 secs)  |  Login aborted: …
function resultOf(head: string): string {
  if (head === "Login") return "login";
  if (head.includes("auth failed")) return "auth-failed";
  if (head.includes("no auth attempts")) return "no-auth";
  if (head.startsWith("Aborted login") || head.startsWith("Login aborted")) return "aborted";
  if (head.startsWith("Maximum number of ")) return "refused";
  if (head.startsWith("Disconnected") || head.includes("(")) return "disconnected";
  return "unknown";
}

// user=<alice@example.com>, method=PLAIN, rip=127.0.0.1, lip=127.0.0.1, mpid=13082, secured, session=<Mz+2zNRgqpp/AAAB>
function readFields(event: DovecotLogin, fields: string): void {
  let rest = fields;
  if (rest.startsWith("user=<")) {
    const close = rest.indexOf(">", 6);
    if (close !== -1) {
      event.login = rest.slice(6, close);
      rest = rest.slice(close + 1).replace(/^, /, "");
    }
  }
  const other: string[] = [];
  for (const part of rest.split(", ")) {
    const eq = part.indexOf("=");
    const key = eq > 0 && eq < 16 && !part.slice(0, eq).includes(" ") ? part.slice(0, eq) : "";
    const value = part.slice(eq + 1);
    if (key === "method") event.method = value;
    else if (key === "rip") event.remoteIp = value;
    else if (key === "lip") event.localIp = value;
    else if (key === "mpid" && /^\d{1,10}$/.test(value)) event.mpid = Number(value);
    else if (key === "session") event.session = value.replace(/^<|>$/g, "");
    else if (key === "") other.push(part);
  }
  // TLS, secured, `TLS handshaking: SSL_accept() failed: …`, `TLSv1.3 with cipher …`
  if (other.length > 0) event.secured = other.join(", ");
}
