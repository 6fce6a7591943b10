// The part of a log line before the program's own text: timestamp, host, program tag, pid.
import { type DateGroups, fractionMs, wallClockTime } from "./wall-clock.ts";

export type EnvelopeFormat =
  | "rfc3164"
  | "iso8601"
  | "rfc5424"
  | "dovecot-logfile"
  | "tai64n-dovecot-logfile"
  | "dspam-logfile";

/** A syslog date without a year; YearResolver turns it into an instant. */
export type YearlessTime = {
  month: number; // 0-11
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
};

export type LocalTime = YearlessTime & { year: number };

/** When the line was written: an instant, a local wall-clock time, or a wall-clock time without year. */
export type EnvelopeTime =
  | { kind: "instant"; ms: number }
  | { kind: "local"; time: LocalTime }
  | { kind: "yearless"; time: YearlessTime };

export type Envelope = {
  format: EnvelopeFormat;
  /** The timestamp as written. */
  timestamp: string;
  time: EnvelopeTime;
  host: string | null;
  /** Syslog tag without the pid, e.g. postfix/submission/smtpd; "dovecot" for Dovecot's own log file. */
  program: string;
  pid: number | null;
  /** The program's own text, trailing blanks removed. */
  message: string;
};

const MONTHS: Record<string, number> = {
  Jan: 0,
  Feb: 1,
  Mar: 2,
  Apr: 3,
  May: 4,
  Jun: 5,
  Jul: 6,
  Aug: 7,
  Sep: 8,
  Oct: 9,
  Nov: 10,
  Dec: 11,
};

// Dec 17 06:28:56 sm02 postfix/submission/smtpd[115113]: connect from unknown[11.22.33.44]
// Jan 05 10:00:00 mail postfix/smtpd[1]: ...   (Postfix maillog_file: zero-padded day)
const RFC3164 = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? (.*)$/s;
// 2026-03-15T21:55:22.162433-03:00 lin2 postfix/submission/smtpd[2257785]: 27937120C92: client=...
// 2024-05-17T10:00:00+0200 host postfix/smtpd[123]: ...   (journalctl -o short-iso)
const ISO8601 = /^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(?:[.,](\d{1,9}))?(Z|[+-]\d\d:?\d\d)? (.*)$/s;
// <22>1 2024-05-17T10:00:00.123+02:00 mail postfix/smtpd 123 - - connect from ...
const RFC5424 = /^(?:<\d{1,3}>)?1 (\S+) (\S+) (\S+) (\S+) (\S+) (-|(?:\[(?:[^\]\\]|\\.)*\])+) ?(.*)$/s;
// 2013-08-11 03:56:40 auth-worker(default): Info: pam(username,1.2.3.4): pam_authenticate() failed: ...
const DATE_SPACE_TIME = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? (.*)$/s;
// @400000004c91b044077a9e94 imap-login: Info: Aborted login (auth failed, 1 attempts): user=<...>
const TAI64N = /^@(40000000)([0-9a-f]{8})([0-9a-f]{8}) (.*)$/s;
// 10710: [11/22/2026 03:09:19] Delivery agent returned exit code 1: /bin/false   (DSPAM --with-logfile)
const DSPAM_LOGFILE = /^(\d+): \[(\d\d)\/(\d\d)\/(\d{4}) (\d\d):(\d\d):(\d\d)\] (.*)$/s;
// Its date is month/day/year, without a fraction of a second.
const DSPAM_DATE_GROUPS: DateGroups = [4, 2, 3, 5, 6, 7];
// mail postfix/smtpd[29256]: connect from localhost[127.0.0.1]   |   mail dovecot: lmtp(29272): ...
const HOST_TAG = /^(\S+) ([^\s[\]:]+)(?:\[(\d+)\])?: ?(.*)$/s;
// lmtp(alice@example.com)<29272><855HHABhAmtYcgAAg+zDdQ>: Info: msgid=<...>: saved mail to INBOX
const DOVECOT_PREFIX =
  /^([a-z][a-z0-9-]*(?:\([^()]*\))?(?:<[^<>]*>)*): (?:(Info|Warning|Error|Fatal|Panic|Debug): )?(.*)$/s;

/** Splits a log line into its envelope and the program's text; null when no known envelope fits. */
export function parseEnvelope(line: string): Envelope | null {
  const first = line.charCodeAt(0);
  if (first >= 65 && first <= 90) return parseRfc3164(line);
  if (first >= 48 && first <= 57)
    return parseIso8601(line) ?? parseDateSpaceTime(line) ?? parseDspamLogfile(line);
  if (first === 60 || (first === 49 && line.charCodeAt(1) === 32)) return parseRfc5424(line);
  if (first === 64) return parseTai64n(line);
  return null;
}

function parseRfc3164(line: string): Envelope | null {
  const fast = plainRfc3164(line);
  if (fast) return fast;
  const m = RFC3164.exec(line);
  if (!m) return null;
  const month = MONTHS[m[1] as string];
  const day = Number(m[2]);
  if (month === undefined || day < 1 || day > 31) return null;
  const time: YearlessTime = {
    month,
    day,
    hour: Number(m[3]),
    minute: Number(m[4]),
    second: Number(m[5]),
    ms: fractionMs(m[6]),
  };
  const rest = m[7] as string;
  const timestamp = line.slice(0, line.length - rest.length - 1);
  return (
    withHostAndTag("rfc3164", timestamp, { kind: "yearless", time }, rest) ??
    dovecotLogfile("dovecot-logfile", timestamp, { kind: "yearless", time }, rest, true)
  );
}

const MONTH_CODES = new Map(
  Object.entries(MONTHS).map(([name, month]) => [
    (name.charCodeAt(0) << 16) | (name.charCodeAt(1) << 8) | name.charCodeAt(2),
    month,
  ]),
);
const digit = (line: string, i: number) => {
  const c = line.charCodeAt(i) - 48;
  return c >= 0 && c <= 9 ? c : Number.NaN;
};

/**
 * The common shape of RFC3164 (`Mar  1 00:00:06 host program[pid]: text`) read without regular
 * expressions: two thirds of the envelope's cost on a big maillog. Undefined for anything else
 * (fractions of a second, odd hosts or tags, non-ASCII), which the expressions below decide.
 */
function plainRfc3164(line: string): Envelope | undefined {
  if (line.length < 20 || line.charCodeAt(3) !== 32 || line.charCodeAt(6) !== 32) return undefined;
  if (line.charCodeAt(9) !== 58 || line.charCodeAt(12) !== 58 || line.charCodeAt(15) !== 32) return undefined;
  const month = MONTH_CODES.get((line.charCodeAt(0) << 16) | (line.charCodeAt(1) << 8) | line.charCodeAt(2));
  const day = line.charCodeAt(4) === 32 ? digit(line, 5) : digit(line, 4) * 10 + digit(line, 5);
  const hour = digit(line, 7) * 10 + digit(line, 8);
  const minute = digit(line, 10) * 10 + digit(line, 11);
  const second = digit(line, 13) * 10 + digit(line, 14);
  if (month === undefined || !(day >= 1 && day <= 31) || Number.isNaN(hour + minute + second))
    return undefined;
  // host: printable ASCII up to a space; tag: up to [pid] or the colon.
  let i = 16;
  while (i < line.length && isPlain(line.charCodeAt(i))) i += 1;
  if (i === 16 || line.charCodeAt(i) !== 32) return undefined;
  const hostEnd = i;
  const last = line.charCodeAt(hostEnd - 1);
  if (last === 58 || last === 41 || last === 62) return undefined;
  i += 1;
  const tagStart = i;
  for (let c = line.charCodeAt(i); isPlain(c) && c !== 91 && c !== 93 && c !== 58; c = line.charCodeAt(i))
    i += 1;
  if (i === tagStart) return undefined;
  const tagEnd = i;
  let pid: number | null = null;
  if (line.charCodeAt(i) === 91) {
    i += 1;
    const pidStart = i;
    while (digit(line, i) >= 0) i += 1;
    if (i === pidStart || line.charCodeAt(i) !== 93) return undefined;
    pid = Number(line.slice(pidStart, i));
    i += 1;
  }
  if (line.charCodeAt(i) !== 58) return undefined;
  i += line.charCodeAt(i + 1) === 32 ? 2 : 1;
  return {
    format: "rfc3164",
    timestamp: line.slice(0, 15),
    time: { kind: "yearless", time: { month, day, hour, minute, second, ms: 0 } },
    host: line.slice(16, hostEnd),
    program: line.slice(tagStart, tagEnd),
    pid,
    message: line.slice(i).trimEnd(),
  };
}

// Printable ASCII but the space: what \S matches without the regular expression (and the rest).
const isPlain = (c: number) => c > 32 && c < 127;

function parseIso8601(line: string): Envelope | null {
  const m = ISO8601.exec(line);
  if (!m) return null;
  const local = wallClockTime(m);
  const rest = m[9] as string;
  const timestamp = line.slice(0, line.length - rest.length - 1);
  return withHostAndTag("iso8601", timestamp, isoTime(local, m[8]), rest);
}

function isoTime(local: LocalTime, zone: string | undefined): EnvelopeTime {
  if (zone === undefined) return { kind: "local", time: local };
  const utc = Date.UTC(local.year, local.month, local.day, local.hour, local.minute, local.second, local.ms);
  if (zone === "Z") return { kind: "instant", ms: utc };
  const sign = zone.startsWith("-") ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.slice(zone.length - 2));
  return { kind: "instant", ms: utc - sign * (hours * 60 + minutes) * 60_000 };
}

function parseRfc5424(line: string): Envelope | null {
  const m = RFC5424.exec(line);
  if (!m) return null;
  const stamp = m[1] as string;
  const iso = ISO8601.exec(`${stamp} x`);
  if (!iso) return null;
  const local = wallClockTime(iso);
  const host = m[2] === "-" ? null : (m[2] as string);
  const procid = m[4] as string;
  const message = (m[7] as string).replace(/^\uFEFF/, "").trimEnd();
  return {
    format: "rfc5424",
    timestamp: stamp,
    time: isoTime(local, iso[8]),
    host,
    program: m[3] as string,
    pid: /^\d+$/.test(procid) ? Number(procid) : null,
    message,
  };
}

function parseDateSpaceTime(line: string): Envelope | null {
  const m = DATE_SPACE_TIME.exec(line);
  if (!m) return null;
  const time = wallClockTime(m);
  const rest = m[8] as string;
  const timestamp = line.slice(0, line.length - rest.length - 1);
  return dovecotLogfile("dovecot-logfile", timestamp, { kind: "local", time }, rest, true);
}

function parseTai64n(line: string): Envelope | null {
  const m = TAI64N.exec(line);
  if (!m) return null;
  // daemontools writes 2^62 + 10 + unix seconds, then nanoseconds.
  const seconds = Number.parseInt(m[2] as string, 16) - 10;
  const nanos = Number.parseInt(m[3] as string, 16);
  const rest = m[4] as string;
  const time: EnvelopeTime = { kind: "instant", ms: seconds * 1000 + Math.floor(nanos / 1e6) };
  return dovecotLogfile("tai64n-dovecot-logfile", line.slice(0, 25), time, rest, false);
}

function parseDspamLogfile(line: string): Envelope | null {
  const m = DSPAM_LOGFILE.exec(line);
  if (!m) return null;
  const time = wallClockTime(m, DSPAM_DATE_GROUPS);
  const message = (m[8] as string).trimEnd();
  const timestamp = line.slice((m[1] as string).length + 3, (m[1] as string).length + 22);
  return {
    format: "dspam-logfile",
    timestamp,
    time: { kind: "local", time },
    host: null,
    program: "dspam",
    pid: Number(m[1]),
    message,
  };
}

function withHostAndTag(
  format: EnvelopeFormat,
  timestamp: string,
  time: EnvelopeTime,
  rest: string,
): Envelope | null {
  const m = HOST_TAG.exec(rest);
  if (!m) return null;
  const host = m[1] as string;
  // "Jan 29 09:33:58 pop3-login: Info: ..." is Dovecot's own file, not host "pop3-login:".
  if (host.endsWith(":") || host.endsWith(")") || host.endsWith(">")) return null;
  return {
    format,
    timestamp,
    time,
    host,
    program: m[2] as string,
    pid: m[3] === undefined ? null : Number(m[3]),
    message: (m[4] as string).trimEnd(),
  };
}

// Dovecot's own log file has no host and no pid; its lines become the text Dovecot would send to
// syslog ("lmtp(user)<pid><session>: msg", level word only when not Info), under program "dovecot".
function dovecotLogfile(
  format: EnvelopeFormat,
  timestamp: string,
  time: EnvelopeTime,
  rest: string,
  levelRequired: boolean,
): Envelope | null {
  const m = DOVECOT_PREFIX.exec(rest);
  if (!m) return null;
  const level = m[2];
  if (levelRequired && level === undefined) return null;
  const levelText = level === undefined || level === "Info" ? "" : `${level}: `;
  return {
    format,
    timestamp,
    time,
    host: null,
    program: "dovecot",
    pid: null,
    message: `${m[1]}: ${levelText}${(m[3] as string).trimEnd()}`,
  };
}
