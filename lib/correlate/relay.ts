// Mail relayed between our own servers (MX → MX, MX → a filter host): a delivery on one host whose
// reply names the next server's queue (`250 2.0.0 Ok: queued as X`), and the queue X that server's
// smtpd received. Both halves become one journey, whichever half is read first.
import { isLoopback } from "./classify.ts";
import { DEFAULTS } from "./context.ts";

/** The short name of a host (`mx2.example.net` → `mx2`): syslog often logs short names, relays FQDNs. */
export function shortHost(name: string | null | undefined): string | null {
  if (!name) return null;
  const lower = name.toLowerCase();
  // An address is its own name.
  if (/^[\d.]+$/.test(lower) || lower.includes(":")) return lower;
  return lower.split(".")[0] || null;
}

const sameHost = (a: string | null | undefined, b: string | null | undefined) => {
  const x = shortHost(a);
  return x !== null && x === shortHost(b);
};

/** The name in a delivery's `relay=name[address]:port`. */
const relayName = (relay: string) => /^([^[\s]+)\[/.exec(relay)?.[1] ?? relay;

/** The sending side: a queue and one of its deliveries. */
export type RelaySender = { host: string | null; messageId: string | null };
export type RelayDelivery = { ts: number; relay: string; status: string; queuedAs: string | null };
/** The receiving side: a queue on another server. */
export type RelayReceiver = {
  host: string | null;
  queueId: string;
  firstTs: number;
  via: "smtpd" | "pickup" | "internal";
  clientName: string | null;
  clientIp: string | null;
  messageId: string | null;
};

/**
 * Whether `receiver` is the queue `delivery` handed the message to. The queue id of the reply must
 * name it, on another server, received by smtpd from another machine within the join window of the
 * delivery; then the same Message-ID decides. Without a Message-ID on both sides, one name must
 * agree: the relay's name is the receiving server's syslog host, or the receiving smtpd's client
 * is the sending server (short names compared: `mx2.example.net` is `mx2`).
 */
export function isRelayedCopy(
  sender: RelaySender,
  delivery: RelayDelivery,
  receiver: RelayReceiver,
): boolean {
  if (delivery.status !== "sent" || delivery.queuedAs !== receiver.queueId) return false;
  if (!sender.host || !receiver.host || sameHost(sender.host, receiver.host)) return false;
  if (receiver.via !== "smtpd" || isLoopback(receiver.clientIp)) return false;
  if (Math.abs(receiver.firstTs - delivery.ts) > DEFAULTS.joinWindowMs) return false;
  if (sender.messageId && receiver.messageId) return sender.messageId === receiver.messageId;
  return sameHost(relayName(delivery.relay), receiver.host) || sameHost(receiver.clientName, sender.host);
}

/**
 * How far each server is from the one the message entered by, along its relay hops (0 for the
 * first): queues of two servers logged in the same second are ordered by it, the sending server's
 * first (a second is all a syslog timestamp may say). Pure.
 */
export function relayRanks(
  queues: readonly { host: string | null; queueId: string }[],
  deliveries: readonly { queueId: string; queuedAs: string | null; destination: string }[],
): Map<string | null, number> {
  const edges: [string | null, string | null][] = [];
  for (const d of deliveries) {
    if (d.destination !== "relay" || !d.queuedAs) continue;
    const from = queues.find((q) => q.queueId === d.queueId);
    const to = queues.find((q) => q.queueId === d.queuedAs && q.host !== from?.host);
    if (from && to) edges.push([from.host, to.host]);
  }
  const ranks = new Map<string | null, number>();
  for (let pass = 0; pass < edges.length; pass++)
    for (const [from, to] of edges) ranks.set(to, Math.max(ranks.get(to) ?? 0, (ranks.get(from) ?? 0) + 1));
  return ranks;
}
