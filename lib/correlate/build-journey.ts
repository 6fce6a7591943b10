// Turns a journey's state into its record: orders the queues, decides how each was linked to the
// one before it, and which DSPAM classification each delivered copy carries.
import type { JourneyRecord, LinkRule, Origin, QueueRecord } from "../core/journey.ts";
import { assignVerdicts } from "./assign-verdicts.ts";
import { isLocalClient, sameAddress } from "./classify.ts";
import { relayRanks } from "./relay.ts";
import type { DeliveryState, JourneyState, QueueState } from "./state.ts";

/** The one envelope recipient a queue was received for, when all its deliveries agree. */
function receivedFor(queue: QueueState): string | null {
  const recipients = new Set(queue.deliveries.map((d) => (d.origRecipient ?? d.recipient).toLowerCase()));
  return recipients.size === 1 ? ([...recipients][0] as string) : null;
}

type Parent = NonNullable<QueueRecord["parent"]>;

function findParent(queue: QueueState, earlier: QueueState[], rcpt: string | null): Parent | null {
  for (const candidate of earlier) {
    const handoff = candidate.deliveries.find((d) => d.queuedAs === queue.queueId);
    if (handoff)
      return {
        queueId: candidate.queueId,
        rule: handoff.destination === "relay" ? "relay" : "queued-as",
        confidence: "exact",
        recipient: handoff.recipient,
      };
  }
  if (queue.origQueueId) {
    const origin = earlier.find((c) => c.queueId === queue.origQueueId);
    if (origin) return { queueId: origin.queueId, rule: "xforward", confidence: "exact", recipient: rcpt };
  }
  const filtering = earlier.filter((c) => c.deliveries.some((d) => d.destination === "filter"));
  const forRecipient = rcpt
    ? filtering.findLast((c) =>
        c.deliveries.some((d) => d.destination === "filter" && sameAddress(d.recipient, rcpt)),
      )
    : undefined;
  const parent = forRecipient ?? filtering.at(-1);
  if (parent) {
    const handoff = parent.deliveries.find(
      (d) => d.destination === "filter" && (!rcpt || sameAddress(d.recipient, rcpt)),
    );
    return {
      queueId: parent.queueId,
      rule: heuristicRule(queue, handoff),
      confidence: "heuristic",
      recipient: forRecipient ? rcpt : null,
    };
  }
  const root = earlier[0];
  return root
    ? { queueId: root.queueId, rule: "message-id", confidence: "heuristic", recipient: null }
    : null;
}

function heuristicRule(queue: QueueState, handoff: DeliveryState | undefined): LinkRule {
  if (queue.via === "pickup") return "pipe-pickup";
  return handoff?.filter === "dspam" ? "dspam-lmtp" : "message-id";
}

export function originOf(
  root: Pick<QueueRecord, "via" | "saslUsername" | "clientIp" | "clientName"> | undefined,
  parent: unknown,
): Origin {
  if (!root) return "unknown";
  if (root.via === "pickup") return "local";
  if (root.via === "smtpd") {
    if (root.saslUsername) return "authenticated";
    return isLocalClient(root.clientIp, root.clientName) ? "local" : "inbound";
  }
  return parent ? "local" : "unknown";
}

function toQueueRecord(queue: QueueState, parent: Parent | null, rcpt: string | null): QueueRecord {
  return {
    host: queue.host,
    queueId: queue.queueId,
    firstTs: queue.firstTs,
    lastTs: queue.lastTs,
    via: queue.via,
    service: queue.service,
    clientName: queue.clientName,
    clientIp: queue.clientIp,
    saslMethod: queue.saslMethod,
    saslUsername: queue.saslUsername,
    pickupUid: queue.pickupUid,
    sender: queue.sender,
    size: queue.size,
    nrcpt: queue.nrcpt,
    messageId: queue.messageId,
    receivedFor: rcpt,
    closed: queue.closed,
    parent,
    actions: [...queue.actions],
  };
}

/** Distinct host names, sorted. */
export function hostsOf(hosts: readonly (string | null)[]): string[] {
  return [...new Set(hosts.filter((h): h is string => h !== null))].sort();
}

/** Builds the journey record from its state; pure. */
export function buildJourney(
  journey: JourneyState,
  queueOf: (seq: number) => QueueState | undefined,
): JourneyRecord {
  const seen = journey.queues.map(queueOf).filter((q): q is QueueState => q?.seen === true);
  const ranks = relayRanks(
    seen,
    seen.flatMap((q) => q.deliveries),
  );
  const rank = (q: QueueState) => ranks.get(q.host) ?? 0;
  const queues = seen.sort((a, b) => a.firstTs - b.firstTs || rank(a) - rank(b) || a.seq - b.seq);
  const root = queues[0];
  const records: QueueRecord[] = queues.map((queue, index) => {
    const rcpt = receivedFor(queue);
    return toQueueRecord(queue, index === 0 ? null : findParent(queue, queues.slice(0, index), rcpt), rcpt);
  });
  const { verdicts, deliveries } = assignVerdicts(
    records,
    journey.verdicts,
    queues.flatMap((queue) =>
      queue.deliveries.map((d) => ({ ...d, mailbox: d.mailbox ? { ...d.mailbox } : null, verdict: null })),
    ),
  );
  deliveries.sort((a, b) => a.ts - b.ts || a.lineId - b.lineId);
  const lines = [...new Map(journey.lines.map(([lineId, hop]) => [lineId, hop])).entries()]
    .map(([lineId, hop]) => ({ lineId, hop }))
    .sort((a, b) => a.lineId - b.lineId);
  return {
    key: journey.key,
    host: root?.host ?? null,
    hosts: hostsOf([...queues.map((q) => q.host), ...(journey.hosts ?? [])]),
    messageId: root?.messageId ?? queues.find((q) => q.messageId)?.messageId ?? null,
    firstTs: root?.firstTs ?? journey.lastActivity,
    lastTs: Math.max(journey.lastActivity, ...queues.map((q) => q.lastTs)),
    complete: queues.length > 0 && queues.every((q) => q.closed !== null),
    inProgress: false,
    origin: originOf(root, journey.parent),
    service: root?.service ?? null,
    clientName: root?.clientName ?? null,
    clientIp: root?.clientIp ?? null,
    saslUsername: root?.saslUsername ?? null,
    sender: root?.sender ?? null,
    size: root?.size ?? null,
    subject: verdicts.find((v) => v.subject)?.subject ?? null,
    queues: records,
    deliveries,
    verdicts,
    parent: journey.parent?.key ? { key: journey.parent.key, relation: journey.parent.relation } : null,
    lines,
  };
}
