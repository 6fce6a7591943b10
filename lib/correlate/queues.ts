// Postfix queue life cycle: client=/pickup → cleanup message-id → qmgr → deliveries → removed, and
// the links that put several queues into one journey.
import type {
  BounceNotification,
  CleanupMessageId,
  Delivery,
  Pickup,
  QmgrFrom,
  SmtpdClient,
  SmtpdConnect,
  SmtpdDisconnect,
} from "../core/events.ts";
import { classifyDelivery, domainOf, isLocalClient, isLocalRelay, relayKey } from "./classify.ts";
import { type Context, DEFAULTS } from "./context.ts";
import { attachPendingStores } from "./mailbox.ts";
import { isRelayedCopy } from "./relay.ts";
import type { CorrelatorEvent, DeliveryState, JourneyState, QueueState } from "./state.ts";
import { attachPendingVerdicts } from "./verdicts.ts";

const key = (host: string | null, id: string) => `${host ?? ""}\t${id}`;

function newJourney(ctx: Context, queue: QueueState): JourneyState {
  const journey: JourneyState = {
    seq: ctx.seq(),
    key: `${queue.host ?? "-"}/${queue.queueId}/${Math.floor(queue.firstTs / 1000)}`,
    queues: [queue.seq],
    lines: [],
    verdicts: [],
    parent: null,
    lastActivity: queue.firstTs,
    dirty: true,
    emitted: false,
  };
  ctx.journeys.set(journey.seq, journey);
  queue.journey = journey.seq;
  return journey;
}

function newQueue(ctx: Context, e: CorrelatorEvent, queueId: string, via: QueueState["via"]): QueueState {
  const queue: QueueState = {
    seq: ctx.seq(),
    host: e.host,
    queueId,
    firstTs: e.ts,
    lastTs: e.ts,
    via,
    started: false,
    seen: true,
    service: null,
    clientName: null,
    clientIp: null,
    saslMethod: null,
    saslUsername: null,
    origQueueId: null,
    pickupUid: null,
    sender: null,
    size: null,
    nrcpt: null,
    messageId: null,
    closed: null,
    actions: [],
    deliveries: [],
    journey: 0,
  };
  ctx.queues.set(queue.seq, queue);
  ctx.queueIndex.set(e.host, queueId, queue.seq);
  if (e.host !== null) ctx.hosts.add(e.host);
  newJourney(ctx, queue);
  return queue;
}

/**
 * The queue a line is about. Short queue ids are reused once a queue file is removed: a line for a
 * removed id, or a second "start" line (client=, pickup) for a started one, begins a new queue.
 */
export function queueFor(
  ctx: Context,
  e: CorrelatorEvent,
  queueId: string,
  start?: QueueState["via"],
): QueueState {
  const existing = ctx.queueByKey(e.host, queueId);
  if (existing && !existing.closed && !(start && existing.started)) {
    if (!existing.seen) {
      existing.seen = true;
      existing.firstTs = e.ts;
    }
    if (e.ts > existing.lastTs) existing.lastTs = e.ts;
    if (start) {
      existing.via = start;
      existing.started = true;
    }
    ctx.touch(ctx.journeyOf(existing), e.ts, [e.lineId, queueId]);
    return existing;
  }
  const queue = newQueue(ctx, e, queueId, start ?? "internal");
  queue.started = start !== undefined;
  ctx.touch(ctx.journeyOf(queue), e.ts, [e.lineId, queueId]);
  return queue;
}

/** Moves every queue, line and verdict of `from` into `into`; the store is told to drop `from` if it had it. */
export function mergeJourneys(ctx: Context, into: JourneyState, from: JourneyState): void {
  if (into === from) return;
  for (const seq of from.queues) {
    const queue = ctx.queues.get(seq);
    if (!queue) continue;
    queue.journey = into.seq;
    into.queues.push(seq);
    if (queue.messageId) {
      ctx.byMessageId.get(queue.messageId)?.delete(from.seq);
      ctx.indexMessageId(queue.messageId, into.seq);
    }
  }
  into.lines.push(...from.lines);
  into.verdicts.push(...from.verdicts);
  for (const host of from.hosts ?? []) ctx.addHost(into, host);
  if (!into.parent && from.parent) into.parent = from.parent;
  into.lastActivity = Math.max(into.lastActivity, from.lastActivity);
  into.dirty = true;
  if (from.emitted) ctx.out.push({ type: "drop-journey", key: from.key });
  ctx.journeys.delete(from.seq);
}

export function onConnect(ctx: Context, e: CorrelatorEvent, _event: SmtpdConnect): void {
  if (e.pid === null) return;
  ctx.sessions.set(key(e.host, String(e.pid)), {
    host: e.host,
    pid: e.pid,
    lines: [e.lineId],
    queues: [],
    ts: e.ts,
  });
}

export function onDisconnect(ctx: Context, e: CorrelatorEvent, _event: SmtpdDisconnect): void {
  if (e.pid === null) return;
  const sessionKey = key(e.host, String(e.pid));
  const session = ctx.sessions.get(sessionKey);
  if (!session) return;
  ctx.sessions.delete(sessionKey);
  for (const seq of session.queues) {
    const queue = ctx.queues.get(seq);
    if (queue) ctx.touch(ctx.journeyOf(queue), e.ts, [e.lineId, "session"]);
  }
}

export function onClient(ctx: Context, e: CorrelatorEvent, event: SmtpdClient): void {
  const queue = queueFor(ctx, e, event.queueId, "smtpd");
  queue.service = event.service;
  queue.clientName = event.clientName;
  queue.clientIp = event.clientIp;
  queue.saslMethod = event.saslMethod ?? null;
  queue.saslUsername = event.saslUsername ?? null;
  queue.origQueueId = event.origQueueId ?? null;
  const session = e.pid === null ? undefined : ctx.sessions.get(key(e.host, String(e.pid)));
  if (session) {
    session.queues.push(queue.seq);
    const journey = ctx.journeyOf(queue);
    for (const line of session.lines) journey.lines.push([line, "session"]);
    session.lines = [];
  }
  // XFORWARD: the filter told the reinjection smtpd which queue this copy came from.
  const parent = event.origQueueId ? ctx.queueByKey(e.host, event.origQueueId) : undefined;
  if (parent) mergeJourneys(ctx, ctx.journeyOf(parent), ctx.journeyOf(queue));
}

export function onPickup(ctx: Context, e: CorrelatorEvent, event: Pickup): void {
  const queue = queueFor(ctx, e, event.queueId, "pickup");
  queue.pickupUid = event.uid;
  queue.sender ??= event.from;
}

export function onMessageId(ctx: Context, e: CorrelatorEvent, event: CleanupMessageId): void {
  const queue = queueFor(ctx, e, event.queueId);
  queue.started = true;
  if (event.resent || !event.messageId) return;
  queue.messageId = event.messageId;
  relayIn(ctx, queue);
  const journey = ctx.journeyOf(queue);
  if (isReinjectionCandidate(queue, journey)) {
    const earlier = ctx
      .journeysWithMessageId(event.messageId)
      .find((candidate) => candidate !== journey && hasLiveQueue(ctx, candidate, e.host, e.ts));
    if (earlier) {
      mergeJourneys(ctx, earlier, journey);
      attachPendingVerdicts(ctx, earlier, event.messageId);
      return;
    }
  }
  ctx.indexMessageId(event.messageId, journey.seq);
  attachPendingVerdicts(ctx, journey, event.messageId);
}

// A copy coming back from a content filter: SMTP from this machine without authentication, or
// sendmail/pickup — alone in its journey so far, and not a bounce or forward of another message.
function isReinjectionCandidate(queue: QueueState, journey: JourneyState): boolean {
  if (journey.queues.length !== 1 || journey.parent) return false;
  if (queue.via === "pickup") return true;
  return queue.via === "smtpd" && isLocalClient(queue.clientIp, queue.clientName) && !queue.saslUsername;
}

function hasLiveQueue(ctx: Context, journey: JourneyState, host: string | null, ts: number): boolean {
  return journey.queues.some((seq) => {
    const queue = ctx.queues.get(seq);
    if (!queue || (host !== null && queue.host !== null && queue.host !== host)) return false;
    return !queue.closed || ts - queue.lastTs <= DEFAULTS.joinWindowMs;
  });
}

export function onQmgr(ctx: Context, e: CorrelatorEvent, event: QmgrFrom): void {
  const queue = queueFor(ctx, e, event.queueId);
  queue.sender = event.from;
  queue.size = event.size;
  queue.nrcpt = event.nrcpt;
}

export function onDelivery(ctx: Context, e: CorrelatorEvent, event: Delivery): void {
  const queue = queueFor(ctx, e, event.queueId);
  let child = event.queuedAs ? ctx.queueByKey(e.host, event.queuedAs) : undefined;
  if (child?.closed) child = undefined;
  // A local relay that queued the message is a filter reinjecting into this Postfix: the new queue's
  // own lines may come later (or be missing from an excerpt), so it is expected in this journey.
  if (event.queuedAs && !child && isLocalRelay(event.relay)) {
    child = newQueue(ctx, e, event.queuedAs, "internal");
    child.seen = false;
  }
  const { destination, filter } = classifyDelivery(
    event,
    ctx.filterRelays,
    child !== undefined,
    ctx.isLocalRecipient,
  );
  if (destination === "filter" && (event.dspamAccepted || child)) ctx.filterRelays.add(relayKey(event.relay));
  if (destination === "mailbox" && event.status === "sent") {
    const domain = domainOf(event.to);
    if (domain) ctx.learntDomains.add(domain);
  }
  queue.deliveries.push({
    queueId: queue.queueId,
    ts: e.ts,
    recipient: event.to,
    origRecipient: event.origTo ?? null,
    relay: event.relay.raw,
    agent: event.daemon,
    status: event.status,
    dsn: event.dsn,
    reply: event.reply,
    destination,
    filter,
    session: event.session ?? null,
    queuedAs: event.queuedAs ?? null,
    forwardedAs: event.forwardedAs ?? null,
    mailbox: null,
    lineId: e.lineId,
  });
  const journey = ctx.journeyOf(queue);
  if (child && destination === "filter") mergeJourneys(ctx, journey, ctx.journeyOf(child));
  if (event.forwardedAs) adoptChild(ctx, e, journey, event.forwardedAs, "forward");
  if (event.session) {
    ctx.bySession.set(event.session, { queue: queue.seq, delivery: queue.deliveries.length - 1 });
  }
  if (destination === "mailbox") attachPendingStores(ctx, queue, queue.deliveries.length - 1);
  if (destination === "external" && event.queuedAs) relayOut(ctx, queue, queue.deliveries.length - 1);
}

// Another server answered `queued as X`: joined with that server's queue X if it was read already
// (its client= and cleanup lines come before the reply), else remembered until it is.
function relayOut(ctx: Context, queue: QueueState, index: number): void {
  const delivery = queue.deliveries[index] as DeliveryState;
  for (const host of ctx.hosts) {
    if (host === queue.host) continue;
    const receiver = ctx.queueByKey(host, delivery.queuedAs as string);
    if (receiver && isRelayedCopy(queue, delivery, receiver)) {
      joinRelay(ctx, queue, delivery, receiver);
      return;
    }
  }
  ctx.relays.set(delivery.queuedAs as string, { queue: queue.seq, delivery: index });
}

/**
 * A queue received by smtpd learnt its Message-ID: the delivery of another of our servers that
 * made it, when that was read first (clocks differ). Decided once the Message-ID can be compared.
 */
function relayIn(ctx: Context, receiver: QueueState): void {
  const pending = ctx.relays.get(receiver.queueId);
  if (!pending) return;
  const sender = ctx.queues.get(pending.queue);
  const delivery = sender?.deliveries[pending.delivery];
  if (!sender || !delivery || !isRelayedCopy(sender, delivery, receiver)) return;
  ctx.relays.delete(receiver.queueId);
  joinRelay(ctx, sender, delivery, receiver);
}

function joinRelay(ctx: Context, sender: QueueState, delivery: DeliveryState, receiver: QueueState): void {
  // One reply per recipient of the same transaction names the same queue.
  for (const d of sender.deliveries)
    if (d.queuedAs === delivery.queuedAs && d.destination === "external") d.destination = "relay";
  mergeJourneys(ctx, ctx.journeyOf(sender), ctx.journeyOf(receiver));
}

export function onBounce(ctx: Context, e: CorrelatorEvent, event: BounceNotification): void {
  const queue = queueFor(ctx, e, event.queueId);
  adoptChild(ctx, e, ctx.journeyOf(queue), event.newQueueId, "bounce");
}

// A bounce or a forwarded copy is its own journey (its own queue, often its own Message-ID),
// pointing back to the journey it came from.
function adoptChild(
  ctx: Context,
  e: CorrelatorEvent,
  parent: JourneyState,
  childQueueId: string,
  relation: "bounce" | "forward",
): void {
  const existing = ctx.queueByKey(e.host, childQueueId);
  const child = existing && !existing.closed ? existing : newQueue(ctx, e, childQueueId, "internal");
  let journey = ctx.journeyOf(child);
  if (journey === parent) {
    // A forwarded copy kept the Message-ID and was grouped with its parent: give it its own journey.
    journey.queues = journey.queues.filter((seq) => seq !== child.seq);
    journey = newJourney(ctx, child);
    if (child.messageId) ctx.indexMessageId(child.messageId, journey.seq);
  }
  journey.parent = { journey: parent.seq, key: parent.key, relation };
  ctx.touch(journey, e.ts);
}

export function onClosed(
  ctx: Context,
  e: CorrelatorEvent,
  queueId: string,
  how: "removed" | "deleted",
): void {
  const queue = ctx.queueByKey(e.host, queueId);
  if (!queue || queue.closed) return;
  queue.closed = how === "removed" && queue.actions.includes("expired") ? "expired" : how;
  queue.lastTs = Math.max(queue.lastTs, e.ts);
  ctx.touch(ctx.journeyOf(queue), e.ts, [e.lineId, queueId]);
}

/** Adds a line that concerns a queue without changing it (warnings, header checks, rejects). */
export function onQueueNote(ctx: Context, e: CorrelatorEvent, queueId: string, action?: string): void {
  const queue = queueFor(ctx, e, queueId);
  if (action) queue.actions.push(action);
}
