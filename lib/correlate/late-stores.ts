// Dovecot's side of a delivery read in another run than Postfix's (Dovecot on an IMAP host, each
// server's logs read by its own run or follower): the stored store lines complete the delivery.
import type { DeliveryRecord, JourneyRecord, StoreRecord } from "../core/journey.ts";
import { hostsOf } from "./build-journey.ts";
import { DEFAULTS } from "./context.ts";
import { baseSession, sameMailbox } from "./mailbox.ts";

/** The session ids a store may be found by (Dovecot suffixes the 2nd, 3rd… recipient's). */
export function storeSessions(journey: JourneyRecord): string[] {
  return [
    ...new Set(
      journey.deliveries.flatMap((d) =>
        d.destination === "mailbox" && !d.mailbox && d.session ? [d.session] : [],
      ),
    ),
  ];
}

/** Whether a journey has a mailbox delivery whose folder is not known yet. */
export const awaitsStore = (journey: JourneyRecord) =>
  journey.deliveries.some((d) => d.destination === "mailbox" && !d.mailbox);

function matches(
  d: DeliveryRecord,
  store: StoreRecord,
  messageId: string | null,
): "lmtp-session" | "message-id" | null {
  if (d.destination !== "mailbox" || d.mailbox) return null;
  if (d.session && store.session)
    return store.session === d.session || baseSession(store.session) === d.session ? "lmtp-session" : null;
  return !d.session &&
    store.messageId !== null &&
    store.messageId === messageId &&
    sameMailbox(d.recipient, store.user) &&
    Math.abs(d.ts - store.ts) <= DEFAULTS.joinWindowMs
    ? "message-id"
    : null;
}

/**
 * The journey with each of its mailbox deliveries that has no folder yet given the store that
 * belongs to it (as lib/correlate/mailbox.ts joins them in one run), its line and its host; null
 * when none of the stores belongs to it. Pure.
 */
export function withStores(journey: JourneyRecord, stores: readonly StoreRecord[]): JourneyRecord | null {
  const used = new Set<number>();
  const deliveries = journey.deliveries.map((d) => {
    const queue = journey.queues.find((q) => q.queueId === d.queueId);
    const messageId = queue?.messageId ?? journey.messageId;
    for (const store of stores) {
      if (used.has(store.lineId)) continue;
      const match = matches(d, store, messageId);
      if (!match) continue;
      used.add(store.lineId);
      return { ...d, mailbox: { user: store.user, folder: store.folder, match } };
    }
    return d;
  });
  if (used.size === 0) return null;
  const joined = stores.filter((s) => used.has(s.lineId));
  const lines = new Map(journey.lines.map((l) => [l.lineId, l.hop]));
  for (const store of joined) if (!lines.has(store.lineId)) lines.set(store.lineId, "dovecot");
  return {
    ...journey,
    hosts: hostsOf([...journey.hosts, ...joined.map((s) => s.host)]),
    lastTs: Math.max(journey.lastTs, ...joined.map((s) => s.ts)),
    deliveries,
    lines: [...lines.entries()].map(([lineId, hop]) => ({ lineId, hop })).sort((a, b) => a.lineId - b.lineId),
  };
}
