import type { DovecotLmtpConnection, DovecotLogout, LogEvent } from "../../core/events.ts";
import { type DovecotPrefix, withProcess } from "./prefix.ts";

// Session-level lines of mail processes: LMTP connections (lmtp-client.c) and IMAP/POP3 logouts
// (imap_logout_format / pop3_logout_format, default `in=%i out=%o …` / `top=%t/%p, retr=…`).

/** `Connect from PEER` / `Disconnect from PEER: REASON` of an LMTP server process. */
// lmtp(29272): Connect from local   |   lmtp(29272): Disconnect from local: Logged out (state=READY)
export function parseLmtpConnection(p: DovecotPrefix): LogEvent | null {
  const { text } = p;
  const connect = text.startsWith("Connect from ");
  if (!connect && !text.startsWith("Disconnect from ")) return null;
  const event: DovecotLmtpConnection = {
    kind: "dovecot.lmtp-connection",
    service: p.service,
    state: connect ? "connect" : "disconnect",
    peer: text.slice(connect ? 13 : 16),
  };
  if (p.user !== undefined) event.user = p.user;
  withProcess(event, p);
  const colon = connect ? -1 : event.peer.indexOf(": ");
  if (colon !== -1) {
    event.reason = event.peer.slice(colon + 2);
    event.peer = event.peer.slice(0, colon);
  }
  return event;
}

const LOGOUT_STARTS = ["Disconnected", "Logged out", "Connection closed", "Server shutting down", "Killed"];

/** True when a mail process line is its logout line. */
export function isLogoutLine(text: string): boolean {
  return LOGOUT_STARTS.some((start) => text.startsWith(start));
}

/** `Disconnected: Logged out in=… out=…`, `Connection closed (…) in=…`, pop3 `top=0/0, retr=0/0, …`. */
// imap(alice@example.com)<13082><Mz+2zNRgqpp/AAAB>: Disconnected: Logged out in=166 out=1612 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0
export function parseLogout(p: DovecotPrefix): LogEvent {
  if (p.user === undefined) return { kind: "unparsed", reason: "dovecot logout line without a user" };
  const { text } = p;
  // Counters are the trailing `key=value` words; walk back from the end until a word is not one.
  const found: string[] = [];
  let end = text.length;
  while (end > 0) {
    const start = text.lastIndexOf(" ", end - 1) + 1;
    if (!isCounter(text, start, end)) break;
    found.push(text.slice(start, end));
    end = start - 1;
  }
  const counters: Record<string, string> = {};
  for (let i = found.length - 1; i >= 0; i--) {
    const word = found[i] as string;
    const eq = word.indexOf("=");
    counters[word.slice(0, eq)] = word.endsWith(",") ? word.slice(eq + 1, -1) : word.slice(eq + 1);
  }
  const reason = text.slice(0, Math.max(end, 0)).trim();
  const event: DovecotLogout = { kind: "dovecot.logout", service: p.service, user: p.user, reason, counters };
  return withProcess(event, p);
}

// in=166   |   top=0/0,   |   bytes=636/7911   (not `state=wait-input)` inside a parenthesis)
function isCounter(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && i - start <= 20) {
    const c = text.charCodeAt(i);
    if ((c >= 97 && c <= 122) || c === 95) i++;
    else break;
  }
  if (i === start || text.charCodeAt(i) !== 61 /* = */) return false;
  for (let j = i + 1; j < end; j++) {
    const c = text.charCodeAt(j);
    if (c === 40 || c === 41 || (c === 44 && j !== end - 1)) return false; // ( ) or a comma inside
  }
  return true;
}
