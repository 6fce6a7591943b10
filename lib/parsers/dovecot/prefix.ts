import type { DovecotNotice } from "../../core/events.ts";

export type DovecotLevel = DovecotNotice["level"];

/** A Dovecot line split at its `service(args)<pid><session>: Level: ` prefix. */
export type DovecotPrefix = {
  /** lmtp, lda, deliver, imap, pop3, imap-login, auth, auth-worker, master, … */
  service: string;
  /** The text inside `(…)`, as logged: a user, a pid, `pid, user` (2.2 LMTP), `user,ip,mech` (2.4 auth). */
  args?: string;
  user?: string;
  pid?: number;
  session?: string;
  level: DovecotLevel;
  /** The program's text after the prefix and the level word. */
  text: string;
};

const LEVELS: [word: string, level: DovecotLevel][] = [
  ["Error: ", "error"],
  ["Warning: ", "warning"],
  ["Fatal: ", "fatal"],
  ["Panic: ", "panic"],
  ["Debug: ", "debug"],
  ["Info: ", "info"],
];

const isDigits = (text: string) => text.length > 0 && text.length <= 10 && /^\d+$/.test(text);
// 2.2 LMTP/LDA put the session after the user prefix: `lmtp(user): mLjfD8Pl51aKJQAA4rfF6Q: msgid=…`.
const SESSION_WORD = /^([A-Za-z0-9+/]{22}(?::R\d{1,4})?): /;

/**
 * Splits the prefixes Dovecot 2.x writes (mail_log_prefix and friends). Cheap character scan, no
 * backtracking; null when the text does not start with `service…: `.
 */
// lmtp(alice@example.com)<29272><855HHABhAmtYcgAAg+zDdQ>: sieve: msgid=<…>: stored mail into mailbox 'INBOX'
// lmtp(9610, lukas.mueller@marketstrategy.de): mLjfD8Pl51aKJQAA4rfF6Q: msgid=<…>: saved mail to INBOX
// imap-login: Login: user=<alice@example.com>, method=PLAIN, rip=127.0.0.1, …
export function splitDovecotPrefix(message: string): DovecotPrefix | null {
  // journald sometimes keeps Dovecot's own ident inside the message: `dovecot[442]: dovecot: auth(default): …`.
  const s = message.startsWith("dovecot: ") ? message.slice(9) : message;
  let i = 0;
  while (i < s.length && i < 64) {
    const c = s.charCodeAt(i);
    // a-z 0-9 - _
    if ((c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 45 || c === 95) i++;
    else break;
  }
  if (i === 0) return null;
  const service = s.slice(0, i);
  let args: string | undefined;
  if (s.charCodeAt(i) === 40 /* ( */) {
    const close = s.indexOf(")", i + 1);
    if (close === -1) return null;
    args = s.slice(i + 1, close);
    i = close + 1;
  }
  const groups: string[] = [];
  while (s.charCodeAt(i) === 60 /* < */ && groups.length < 4) {
    const close = s.indexOf(">", i + 1);
    if (close === -1) return null;
    groups.push(s.slice(i + 1, close));
    i = close + 1;
  }
  if (s.charCodeAt(i) !== 58 /* : */ || s.charCodeAt(i + 1) !== 32) return null;
  let text = s.slice(i + 2);
  let level: DovecotLevel = "info";
  for (const [word, name] of LEVELS) {
    if (text.startsWith(word)) {
      level = name;
      text = text.slice(word.length);
      break;
    }
  }
  const prefix: DovecotPrefix = { service, level, text };
  if (args !== undefined) {
    prefix.args = args;
    // With `<pid><session>` groups after it (2.3), the parenthesised part is always the user.
    if (groups.length > 0 && args !== "") prefix.user = args;
    else readArgs(prefix, args);
  }
  readGroups(prefix, groups);
  if (prefix.session === undefined && prefix.user !== undefined) {
    const m = SESSION_WORD.exec(prefix.text);
    if (m) {
      prefix.session = m[1] as string;
      prefix.text = prefix.text.slice((m[0] as string).length);
    }
  }
  return prefix;
}

// `12767` → pid; `9610, user@dom` → pid and user; anything else is the user.
function readArgs(prefix: DovecotPrefix, args: string): void {
  if (isDigits(args)) {
    prefix.pid = Number(args);
    return;
  }
  const comma = args.indexOf(", ");
  if (comma !== -1 && isDigits(args.slice(0, comma))) {
    prefix.pid = Number(args.slice(0, comma));
    prefix.user = args.slice(comma + 2);
    return;
  }
  if (args !== "") prefix.user = args;
}

// `<29272><855HHABhAmtYcgAAg+zDdQ>` → pid and session; a lone non-numeric group is the session.
function readGroups(prefix: DovecotPrefix, groups: string[]): void {
  for (const group of groups) {
    if (prefix.pid === undefined && prefix.session === undefined && isDigits(group))
      prefix.pid = Number(group);
    else if (prefix.session === undefined && group !== "") prefix.session = group;
  }
}

/**
 * Copies the process fields of the prefix onto an event. Events are built by assignment, not by
 * object spread: spreading costs microseconds per line in V8 and parsing speed matters here.
 */
export function withProcess<T extends { processId?: number; session?: string }>(
  event: T,
  p: DovecotPrefix,
): T {
  if (p.pid !== undefined) event.processId = p.pid;
  if (p.session !== undefined) event.session = p.session;
  return event;
}
