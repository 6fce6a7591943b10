// Pieces every Postfix daemon parser uses: the tag context, queue ids, `name[addr]:port` clients,
// SMTP reply codes. No regex here may scan a whole line with nested quantifiers: lines can be 1 MB.
import type { Unparsed } from "../../core/events.ts";

/** The part of the syslog tag every Postfix event carries. */
export type PostfixTag = Readonly<{ service: string; daemon: string }>;

/** A daemon parser: an event, or null when the line is not one of its shapes (the generic notices get a try). */
export type DaemonParser<E> = (tag: PostfixTag, message: string) => E | null;

export const unparsed = (reason: string): Unparsed => ({ kind: "unparsed", reason });

// Queue ids are at most ~20 characters (long ids: 10 time characters, "z", the inode); anything
// longer at the start of a line is not a queue id and must not be scanned further.
const MAX_QUEUE_ID = 32;
// 7EE668039   0F5383D   ED06590130AA1C9D6D862
const SHORT_ID = /^[0-9A-F]{6,}$/;
// 3mPVKl0Mhjz7sXv   4G6yC35YlszCx5Pk   (enable_long_queue_ids: 52-letter alphabet without vowels, "z" separator)
const LONG_ID = /^[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]{10,}z[0-9B-DF-HJ-NP-TV-Zb-df-hj-np-tv-z]+$/;

/** True for a short (upper-case hex) or long (enable_long_queue_ids) Postfix queue id. */
export function isQueueId(text: string): boolean {
  return text.length <= MAX_QUEUE_ID && (SHORT_ID.test(text) || LONG_ID.test(text));
}

const isAlnum = (c: number) => (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/** The queue id that starts `message` and is followed by ": ", or null. `NOQUEUE` is not a queue id. */
export function leadingQueueId(message: string): string | null {
  const max = Math.min(message.length, MAX_QUEUE_ID + 1);
  let end = 0;
  while (end < max && isAlnum(message.charCodeAt(end))) end++;
  if (end < 6 || message.charCodeAt(end) !== 58 || message.charCodeAt(end + 1) !== 32) return null;
  const id = message.slice(0, end);
  return isQueueId(id) ? id : null;
}

export type Client = { name: string; ip: string; port?: number; end: number };

/**
 * Reads `name[addr]` or `name[addr]:port` at `start` (smtpd's namaddr; `unknown[unknown]`, IPv6,
 * `[addr]:port` with an empty name for postscreen). `end` is the index after it; null if none.
 */
// unknown[2001:980:cfb1:1:82f:f74e:a45c:3033]   mail.example.com[192.0.2.1]:25   [216.245.194.173]:60591
export function readClient(text: string, start: number): Client | null {
  const open = text.indexOf("[", start);
  if (open === -1) return null;
  const name = text.slice(start, open);
  if (name.includes(" ") || name.includes("]")) return null;
  const close = text.indexOf("]", open + 1);
  if (close === -1) return null;
  const ip = text.slice(open + 1, close);
  let end = close + 1;
  if (text.charCodeAt(end) === 58) {
    let digits = end + 1;
    while (digits < text.length && digits - end <= 5 && isDigit(text.charCodeAt(digits))) digits++;
    if (digits > end + 1) {
      const port = Number(text.slice(end + 1, digits));
      end = digits;
      return { name, ip, port, end };
    }
  }
  return { name, ip, end };
}

/** Reads a client that must fill `text` exactly (e.g. the end of `lost connection after DATA from X`). */
export function wholeClient(text: string): Client | null {
  const client = readClient(text, 0);
  return client && client.end === text.length ? client : null;
}

const isDigit = (c: number) => c >= 48 && c <= 57;

/** Adds clientName/clientIp/clientPort of a parsed client to an event under construction. */
export function clientFields(client: Client): { clientName: string; clientIp: string; clientPort?: number } {
  return client.port === undefined
    ? { clientName: client.name, clientIp: client.ip }
    : { clientName: client.name, clientIp: client.ip, clientPort: client.port };
}

// 550 5.1.1 <x@example.com>: Recipient address rejected   |   451 4.7.1 Greylisting   |   123 1.2.3 Reasons
const CODE_DSN = /^([245]\d\d)(?:[ -]([245]\.\d{1,3}\.\d{1,3})(?= |$))?/;
// 4.7.1 Try again later   (cleanup milter-reject: enhanced status without reply code)
const DSN_ONLY = /^([245]\.\d{1,3}\.\d{1,3})(?= |$)/;

/** The SMTP reply code and enhanced status code at the start of a reply text, when present. */
export function replyCodes(reply: string): { code?: string; dsn?: string } {
  const both = CODE_DSN.exec(reply);
  if (both) return both[2] === undefined ? { code: both[1] } : { code: both[1], dsn: both[2] };
  const dsn = DSN_ONLY.exec(reply);
  return dsn ? { dsn: dsn[1] } : {};
}

/** `<addr>` → `addr`; anything else as is (unbracketed values in edited or old lines). */
export function unbracket(value: string): string {
  return value.length >= 2 && value.charCodeAt(0) === 60 && value.charCodeAt(value.length - 1) === 62
    ? value.slice(1, -1)
    : value;
}

/** The queue id after `queued as ` in a reply (plain or amavis' `from MTA(…): 250 2.0.0 Ok: queued as X`). */
// 250 2.0.0 from MTA(smtp:[127.0.0.1]:10025): 250 2.0.0 Ok: queued as 2F01D1855DB2
export function queuedAsIn(reply: string): string | undefined {
  const at = reply.lastIndexOf("queued as ");
  if (at === -1) return undefined;
  const start = at + 10;
  let end = start;
  while (end < reply.length && isAlnum(reply.charCodeAt(end))) end++;
  return end > start ? reply.slice(start, end) : undefined;
}
