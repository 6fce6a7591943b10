// Journeys of one message on several servers, read at different times (another run, another
// follower): the half handed out now and the half already stored become one journey record.
import type { DeliveryRecord, JourneyRecord, QueueRecord } from "../core/journey.ts";
import { assignVerdicts } from "./assign-verdicts.ts";
import { hostsOf, originOf } from "./build-journey.ts";
import { isLoopback } from "./classify.ts";
import { isRelayedCopy, relayRanks } from "./relay.ts";

const queueKey = (q: QueueRecord) => `${q.host ?? ""}\t${q.queueId}`;

/** The queue a delivery left from (deliveries name their queue id; a journey's queues are on different hosts). */
function senderOf(journey: JourneyRecord, d: DeliveryRecord): QueueRecord | undefined {
  return journey.queues.find((q) => q.queueId === d.queueId);
}

/**
 * Queue ids through which a stored half of this journey can be found on another server: the ids
 * other servers answered `queued as` with, and the ids of queues received from another machine.
 */
export function relayQueueIds(journey: JourneyRecord): { queueId: string; host: string; ts: number }[] {
  const ids: { queueId: string; host: string; ts: number }[] = [];
  for (const d of journey.deliveries) {
    const host = senderOf(journey, d)?.host;
    if (host && d.queuedAs && (d.destination === "external" || d.destination === "relay"))
      ids.push({ queueId: d.queuedAs, host, ts: d.ts });
  }
  for (const q of journey.queues)
    if (q.host && q.via === "smtpd" && !isLoopback(q.clientIp))
      ids.push({ queueId: q.queueId, host: q.host, ts: q.firstTs });
  return ids;
}

/** Whether a delivery of one record handed the message to a queue of the other. */
function relays(from: JourneyRecord, to: JourneyRecord): boolean {
  return from.deliveries.some((d) => {
    const sender = senderOf(from, d);
    return sender !== undefined && to.queues.some((q) => isRelayedCopy(sender, d, q));
  });
}

/** Whether two records are halves of one message on two servers (either relayed to the other). */
export function areRelayHalves(a: JourneyRecord, b: JourneyRecord): boolean {
  return relays(a, b) || relays(b, a);
}

/**
 * One record of `stored` and the newer `part` of the same message: `part` is what a correlator
 * saw of it now, so it replaces everything stored on the servers its queues are on; the stored
 * queues of other servers, their deliveries, lines and classifications stay. The key is the one of
 * the half the message entered by. Pure.
 */
export function mergeHalves(stored: JourneyRecord, part: JourneyRecord): JourneyRecord {
  const partHosts = new Set(part.queues.map((q) => q.host));
  const partQueues = new Set(part.queues.map(queueKey));
  const kept = stored.queues.filter((q) => !partHosts.has(q.host) && !partQueues.has(queueKey(q)));
  const keptIds = new Set(kept.map((q) => q.queueId));
  const partLines = new Set(part.deliveries.map((d) => d.lineId));
  const deliveries = [
    ...part.deliveries,
    ...stored.deliveries.filter((d) => keptIds.has(d.queueId) && !partLines.has(d.lineId)),
  ].sort((a, b) => a.ts - b.ts || a.lineId - b.lineId);
  const linked = linkRelays([...kept, ...part.queues], deliveries);
  const ranks = relayRanks(linked.queues, linked.deliveries);
  const rank = (q: QueueRecord) => ranks.get(q.host) ?? 0;
  linked.queues.sort((a, b) => a.firstTs - b.firstTs || rank(a) - rank(b));
  const root = linked.queues[0];
  const entered = root && !part.queues.some((q) => queueKey(q) === queueKey(root)) ? stored : part;
  const verdictLines = new Set(part.verdicts.map((v) => v.lineId));
  const { verdicts, deliveries: carried } = assignVerdicts(
    linked.queues,
    [...part.verdicts, ...stored.verdicts.filter((v) => !verdictLines.has(v.lineId))],
    linked.deliveries,
  );
  const lines = new Map([...stored.lines, ...part.lines].map((l) => [l.lineId, l.hop]));
  return {
    ...entered,
    key: entered.key,
    hosts: hostsOf([...stored.hosts, ...part.hosts]),
    messageId: root?.messageId ?? entered.messageId,
    firstTs: Math.min(stored.firstTs, part.firstTs),
    lastTs: Math.max(stored.lastTs, part.lastTs),
    complete: linked.queues.length > 0 && linked.queues.every((q) => q.closed !== null),
    inProgress: stored.inProgress || part.inProgress,
    origin: originOf(root, entered.parent),
    subject:
      entered.subject ?? stored.subject ?? part.subject ?? verdicts.find((v) => v.subject)?.subject ?? null,
    queues: linked.queues,
    deliveries: carried,
    verdicts,
    lines: [...lines.entries()].map(([lineId, hop]) => ({ lineId, hop })).sort((a, b) => a.lineId - b.lineId),
  };
}

// Each delivery that handed the message to a queue of another server in the journey is a relay hop,
// and that queue's parent is the queue it left from (rule relay: `queued as`, exact).
function linkRelays(
  queues: readonly QueueRecord[],
  deliveries: readonly DeliveryRecord[],
): { queues: QueueRecord[]; deliveries: DeliveryRecord[] } {
  const linkedQueues = queues.map((q) => ({ ...q }));
  const linkedDeliveries = deliveries.map((d) => {
    if (!d.queuedAs || (d.destination !== "external" && d.destination !== "relay")) return d;
    const sender = linkedQueues.find((q) => q.queueId === d.queueId);
    const receiver = sender && linkedQueues.find((q) => isRelayedCopy(sender, d, q));
    if (!sender || !receiver) return d;
    receiver.parent ??= {
      queueId: sender.queueId,
      rule: "relay",
      confidence: "exact",
      recipient: d.recipient,
    };
    return { ...d, destination: "relay" as const };
  });
  return { queues: linkedQueues, deliveries: linkedDeliveries };
}
