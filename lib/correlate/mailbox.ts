// Dovecot's side of a delivery: which mailbox and folder the message was stored in.
import type { DovecotSaved, DovecotSieve } from "../core/events.ts";
import { type Context, DEFAULTS } from "./context.ts";
import type { CorrelatorEvent, QueueState, StoreState } from "./state.ts";

export function localPart(address: string): string {
  const at = address.lastIndexOf("@");
  return (at === -1 ? address : address.slice(0, at)).toLowerCase();
}

/** Dovecot's user for a delivery: the same address, or its local part when Dovecot users have no domain. */
export function sameMailbox(recipient: string, user: string): boolean {
  const r = recipient.toLowerCase();
  const u = user.toLowerCase();
  return r === u || (!u.includes("@") && localPart(r) === u);
}

// The 2nd, 3rd… recipient of one LMTP transaction get a session id suffixed `:R2`, `:R3`.
export const baseSession = (session: string) => session.replace(/:R\d+$/, "");

/** A Dovecot "saved mail to" / sieve "stored mail into mailbox" line: joined to the Postfix delivery it belongs to. */
export function onStore(ctx: Context, e: CorrelatorEvent, event: DovecotSaved | DovecotSieve): void {
  const folder = event.mailbox;
  const isStore =
    event.ok &&
    folder !== undefined &&
    (event.kind === "dovecot.saved" || event.action === "keep" || event.action === "fileinto");
  const store: StoreState = {
    ts: e.ts,
    host: e.host,
    user: event.user,
    session: event.session ?? null,
    messageId: event.messageId,
    folder: isStore ? (folder as string) : "",
    lineId: e.lineId,
  };
  if (attachStore(ctx, store)) return;
  if (isStore) ctx.stores.push(store);
}

function attachStore(ctx: Context, store: StoreState): boolean {
  if (store.session) {
    const found = ctx.bySession.get(store.session) ?? ctx.bySession.get(baseSession(store.session));
    if (found) return record(ctx, found.queue, found.delivery, store, "lmtp-session");
  }
  if (!store.messageId) return false;
  for (const journey of ctx.journeysWithMessageId(store.messageId)) {
    for (const seq of journey.queues) {
      const queue = ctx.queues.get(seq);
      if (!queue) continue;
      const index = queue.deliveries.findIndex(
        (d) =>
          d.destination === "mailbox" &&
          !d.session &&
          (d.mailbox === null || store.folder === "") &&
          sameMailbox(d.recipient, store.user) &&
          Math.abs(d.ts - store.ts) <= DEFAULTS.joinWindowMs,
      );
      if (index !== -1) return record(ctx, seq, index, store, "message-id");
    }
  }
  return false;
}

function record(
  ctx: Context,
  queueSeq: number,
  index: number,
  store: StoreState,
  match: "lmtp-session" | "message-id",
): true {
  const queue = ctx.queues.get(queueSeq) as QueueState;
  const delivery = queue.deliveries[index];
  if (delivery && store.folder !== "" && delivery.mailbox === null) {
    delivery.mailbox = { user: store.user, folder: store.folder, match };
  }
  const journey = ctx.journeyOf(queue);
  if (store.host !== queue.host) ctx.addHost(journey, store.host);
  ctx.touch(journey, store.ts, [store.lineId, "dovecot"]);
  return true;
}

/** A Postfix delivery to a mailbox arrived: claim the Dovecot store that was logged before it. */
export function attachPendingStores(ctx: Context, queue: QueueState, index: number): void {
  const delivery = queue.deliveries[index];
  if (!delivery || ctx.stores.length === 0) return;
  const claimed = ctx.stores.findIndex((store) =>
    delivery.session && store.session
      ? store.session === delivery.session || baseSession(store.session) === delivery.session
      : !delivery.session &&
        store.messageId !== null &&
        store.messageId === queue.messageId &&
        sameMailbox(delivery.recipient, store.user) &&
        Math.abs(delivery.ts - store.ts) <= DEFAULTS.joinWindowMs,
  );
  if (claimed === -1) return;
  const [store] = ctx.stores.splice(claimed, 1);
  if (store) record(ctx, queue.seq, index, store, delivery.session ? "lmtp-session" : "message-id");
}

/**
 * Hands out the Dovecot stores that matched nothing within the join window (the store keeps them
 * for a delivery read later: lib/correlate/late-stores.ts); with `provisional`, also those still
 * waiting, as they stand.
 */
export function expireStores(ctx: Context, provisional = false): void {
  const limit = ctx.clock - DEFAULTS.joinWindowMs;
  if (ctx.stores.length > 0 && (ctx.stores[0]?.ts ?? limit) < limit) {
    for (const store of ctx.stores) if (store.ts < limit) ctx.out.push({ type: "orphan-store", store });
    ctx.stores = ctx.stores.filter((s) => s.ts >= limit);
  }
  if (provisional)
    for (const store of ctx.stores) ctx.out.push({ type: "orphan-store", store: { ...store } });
}
