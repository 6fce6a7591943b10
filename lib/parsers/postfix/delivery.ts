// log_adhoc(): the per-recipient status line of every delivery agent (smtp, lmtp, local, virtual,
// pipe, error, retry, discard) and of qmgr, plus what the reply text tells about the next hop.
import type { Delivery, LogEvent, Relay, Unparsed } from "../../core/events.ts";
import { type PostfixTag, queuedAsIn, unbracket, unparsed } from "./shared.ts";

/**
 * Parses what follows `QID: ` when it starts with `to=`:
 * `to=<a>[, orig_to=<b>], relay=R[, conn_use=N], delay=D, delays=a/b/c/d[, tls=T], dsn=X.Y.Z, status=S (reply)`.
 */
// A48191855DA0: to=<user@sender.com>, relay=mail.sender.com[/var/run/dovecot/lmtp], delay=0.03, delays=0.01/0/0.02/0.01, dsn=2.0.0, status=sent (250 2.0.0 <user@sender.com> IkiQKTt+117kJgAAWP5Hkg Saved)
export function parseDelivery(tag: PostfixTag, queueId: string, rest: string): Delivery | Unparsed {
  // Addresses are logged in external form and may hold spaces or commas inside quotes, so each
  // one ends where the next key starts.
  const relayAt = rest.indexOf(", relay=", 3);
  if (relayAt === -1) return unparsed("delivery line without relay=");
  let to = rest.slice(3, relayAt);
  let origTo: string | undefined;
  const origAt = to.indexOf(", orig_to=");
  if (origAt !== -1) {
    origTo = unbracket(to.slice(origAt + 10));
    to = to.slice(0, origAt);
  }
  let pos = relayAt + 8;
  let comma = rest.indexOf(", ", pos);
  if (comma === -1) return unparsed("delivery line cut after relay=");
  const relay = parseRelay(rest.slice(pos, comma));
  const fields: Record<string, string> = {};
  while (comma !== -1) {
    pos = comma + 2;
    if (rest.startsWith("status=", pos)) break;
    const eq = rest.indexOf("=", pos);
    comma = rest.indexOf(", ", pos);
    if (eq === -1 || (comma !== -1 && eq > comma))
      return unparsed("delivery line with a field that is not key=value");
    fields[rest.slice(pos, eq)] = rest.slice(eq + 1, comma === -1 ? rest.length : comma);
  }
  if (!rest.startsWith("status=", pos)) return unparsed("delivery line without status=");
  const { delay, delays, dsn } = fields;
  if (delay === undefined || delays === undefined || dsn === undefined) {
    return unparsed("delivery line without delay=, delays= or dsn=");
  }
  let end = pos + 7;
  while (end < rest.length && isStatusChar(rest.charCodeAt(end))) end++;
  const status = rest.slice(pos + 7, end);
  // `status=expired, returned to sender` carries no reply of its own.
  if (rest.startsWith(RETURNED, end)) end += RETURNED.length;
  // The reply runs to the closing parenthesis at the end of the line, or to the end of a cut line.
  let reply = "";
  if (rest.startsWith(" (", end)) reply = rest.endsWith(")") ? rest.slice(end + 2, -1) : rest.slice(end + 2);
  const event: Delivery = {
    kind: "postfix.delivery",
    service: tag.service,
    daemon: tag.daemon,
    queueId,
    to: unbracket(to),
    relay,
    delay: Number(delay),
    delays,
    dsn,
    status,
    reply,
  };
  if (origTo !== undefined) event.origTo = origTo;
  if (fields.conn_use !== undefined) event.connUse = Number(fields.conn_use);
  if (fields.tls !== undefined) event.tls = fields.tls;
  readReply(event, reply);
  return event;
}

const RETURNED = ", returned to sender";
// forwarded as C342219C0AAE   (local(8) forward.c; the id of the forwarded copy)
const FORWARDED_ID = /^[0-9A-Za-z]{1,32}$/;
const isStatusChar = (c: number) => (c >= 97 && c <= 122) || c === 45;

// 250 2.0.0 <alice@example.com> I861FWYuzl/fSwAAWP5Hkg Saved   (Dovecot LMTP)
const DOVECOT_SAVED = /^250 2\.0\.0 <[^<>]*> ([^ ]{1,64}) Saved$/;
// 250 2.6.0 <alice@example.com> Message accepted for delivery[: SPAM]   (DSPAM LMTP daemon)
const DSPAM_ACCEPTED = /^250 2\.6\.0 <[^<>]*> Message accepted for delivery(?:: (.{1,40}))?$/;

/** Adds what the reply tells about the next hop: queued as, Dovecot session, DSPAM acceptance, forward. */
function readReply(event: Delivery, reply: string): void {
  if (reply.startsWith("250 2.0.0 <")) {
    const saved = DOVECOT_SAVED.exec(reply);
    if (saved) event.session = saved[1] as string;
  } else if (reply.startsWith("250 2.6.0 <")) {
    const dspam = DSPAM_ACCEPTED.exec(reply);
    if (dspam) {
      event.dspamAccepted = true;
      if (dspam[1] !== undefined) event.dspamResult = dspam[1];
    }
  } else if (reply.startsWith("forwarded as ")) {
    const id = reply.slice(13);
    if (FORWARDED_ID.test(id)) event.forwardedAs = id;
    return;
  }
  if (event.session === undefined) {
    const queuedAs = queuedAsIn(reply);
    if (queuedAs) event.queuedAs = queuedAs;
  }
}

/** Splits a relay= value: `host[addr]:port`, `host[private/dovecot-lmtp]`, `none`, `local`, `dovecot`. */
// mx2.comcast.net[2001:558:fe21:2a::6]:25   mail.example.com[/var/run/dspam/dspam.sock]   none
export function parseRelay(raw: string): Relay {
  const open = raw.indexOf("[");
  const close = raw.lastIndexOf("]");
  if (open === -1 || close < open) return { raw, host: raw };
  const host = raw.slice(0, open);
  const inside = raw.slice(open + 1, close);
  if (!looksLikeAddress(inside)) return { raw, host, socket: inside };
  const relay: Relay = { raw, host, address: inside };
  if (raw.charCodeAt(close + 1) === 58) {
    const port = Number(raw.slice(close + 2));
    if (Number.isInteger(port) && port > 0) relay.port = port;
  }
  return relay;
}

// 192.0.2.1   2001:558:fe21:2a::6   (a unix socket path has a letter other than a-f or a slash)
const ADDRESS = /^(?:\d{1,3}(?:\.\d{1,3}){3}|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*)$/;
const looksLikeAddress = (text: string) => text.length <= 64 && ADDRESS.test(text);

const QUEUE_NOTES: [prefix: string, category: "delivery"][] = [
  ["host ", "delivery"], // 732BB407C3: host mail.domain.com[1.1.1.1] said: 451 … (in reply to end of DATA command)
  ["lost connection with ", "delivery"], // 1310930001DB: lost connection with hotmail-com.olc.protection.outlook.com[104.47.10.33] while sending RCPT TO
  ["conversation with ", "delivery"], // 78D6B41: conversation with mx00.gmx.com[74.208.5.4] timed out while receiving the initial server greeting
  ["enabling PIX workarounds: ", "delivery"], // B0ADE20FC7: enabling PIX workarounds: disable_esmtp delay_dotcrlf for example.com[93.184.216.34]:25
  ["SASL authentication failed; ", "delivery"], // D0F29603B4: SASL authentication failed; server xyz.example.com[1.2.3.4] said: 535 5.7.8 …
  ["Cannot start TLS: ", "delivery"], // 3mPz615lB2z7sZt: Cannot start TLS: handshake failure
  ["connect to ", "delivery"],
];

/** A delivery agent's message about one queue file: a per-recipient status, or a note about the remote host. */
export function parseAgentQueued(tag: PostfixTag, queueId: string, rest: string): LogEvent | null {
  if (rest.startsWith("to=")) return parseDelivery(tag, queueId, rest);
  for (const [prefix, category] of QUEUE_NOTES) {
    if (rest.startsWith(prefix)) {
      return {
        kind: "postfix.notice",
        service: tag.service,
        daemon: tag.daemon,
        category,
        queueId,
        text: rest,
      };
    }
  }
  return null;
}
