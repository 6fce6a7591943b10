import { describeService } from "../detect/words.ts";
import type { JourneyDetail, MessageDetail, MessageLine, TrainingRow } from "./message.ts";

// The drill-down as a list of hops, each with its facts and its raw lines. Pure: built from what
// getMessage returned, so it is tested without a database.

type Delivery = JourneyDetail["deliveries"][number];
type Queue = JourneyDetail["queues"][number];
type Verdict = JourneyDetail["verdicts"][number];

export type DeliveryView = {
  id: number;
  ts: Date;
  recipient: string;
  origRecipient: string | null;
  destination: string;
  status: string;
  dsn: string;
  reply: string;
  relay: string;
  folder: string | null;
  mailboxUser: string | null;
  verdictFilter: string | null;
  verdictClass: string | null;
  verdictUser: string | null;
  queueId: string;
  /** Successful final deliveries of this message to this recipient (2+: a duplicate). */
  copies: number;
};

export type Hop =
  | {
      kind: "received";
      ts: Date;
      queue: Queue;
      handoffs: DeliveryView[];
      direct: DeliveryView[];
      lines: MessageLine[];
    }
  | { kind: "verdicts"; ts: Date; verdicts: Verdict[]; lines: MessageLine[] }
  | { kind: "reinjected"; ts: Date; queue: Queue; deliveries: DeliveryView[]; lines: MessageLine[] }
  | { kind: "mailbox"; ts: Date; deliveries: DeliveryView[]; lines: MessageLine[] }
  | { kind: "training"; ts: Date; training: TrainingRow; lines: MessageLine[] };

export type JourneyTimeline = {
  key: string;
  journey: JourneyDetail;
  hops: Hop[];
  /** Recipients that got more than one copy, with the count. */
  duplicates: { recipient: string; copies: number }[];
};

const isFinal = (d: Delivery) => d.destination === "mailbox" || d.destination === "external";

/** Where an smtpd was listening, in an administrator's words. */
export function describeReception(queue: Pick<Queue, "via" | "service" | "pickupUid">): string {
  if (queue.via === "pickup")
    return `sendmail on the server (pickup${queue.pickupUid !== null ? `, uid ${queue.pickupUid}` : ""})`;
  if (queue.via === "internal") return "made by Postfix itself (bounce or forward)";
  return describeService(queue.service ?? "");
}

const LINK_RULES: Record<string, string> = {
  "queued-as": "the filter's reply named this queue (queued as)",
  xforward: "the reinjection logged orig_queue_id (XFORWARD)",
  "dspam-lmtp": "same Message-ID and sender back from DSPAM on localhost, for one recipient of the hand-off",
  "pipe-pickup": "piped to the filter, back through sendmail/pickup with the same Message-ID",
  "message-id": "same Message-ID from localhost shortly after",
  relay: "relayed from another of our servers, whose reply named this queue (queued as)",
};

/** How a queue was linked to the one before it. */
export function describeLink(rule: string | null): string {
  return rule ? (LINK_RULES[rule] ?? rule) : "";
}

/** The hops of every journey of a message, with trainings at the end of the journey they retrain. */
export function buildTimelines(message: MessageDetail): JourneyTimeline[] {
  const linesByHop = new Map<string, MessageLine[]>();
  for (const line of message.lines) linesByHop.set(line.hop, [...(linesByHop.get(line.hop) ?? []), line]);
  const hopLines = (hop: string, ids?: Set<number>) =>
    (linesByHop.get(hop) ?? []).filter((l) => !ids || ids.has(l.id));
  const lineIdsOf = (journey: JourneyDetail) =>
    new Set((JSON.parse(journey.lines) as [number, string][]).map(([id]) => id));

  const copies = new Map<string, number>();
  for (const d of message.journeys.flatMap((j) => j.deliveries)) {
    if (isFinal(d) && d.status === "sent")
      copies.set(d.recipient.toLowerCase(), (copies.get(d.recipient.toLowerCase()) ?? 0) + 1);
  }
  const view = (d: Delivery): DeliveryView => ({
    id: d.id,
    ts: d.ts,
    recipient: d.recipient,
    origRecipient: d.origRecipient,
    destination: d.destination,
    status: d.status,
    dsn: d.dsn,
    reply: d.reply,
    relay: d.relay,
    folder: d.folder,
    mailboxUser: d.mailboxUser,
    verdictFilter: d.verdictFilter,
    verdictClass: d.verdictClass,
    verdictUser: d.verdictUser,
    queueId: d.queueId,
    copies: isFinal(d) ? (copies.get(d.recipient.toLowerCase()) ?? 0) : 0,
  });

  return message.journeys.map((journey, index) => {
    const ids = message.journeys.length > 1 ? lineIdsOf(journey) : undefined;
    const hops: Hop[] = [];
    const [first, ...rest] = journey.queues;
    if (first) {
      const from = journey.deliveries.filter((d) => d.queueId === first.queueId);
      hops.push({
        kind: "received",
        ts: first.firstTs,
        queue: first,
        handoffs: from.filter((d) => d.destination === "filter").map(view),
        direct: from.filter((d) => d.destination !== "filter").map(view),
        lines: [...hopLines("session", ids), ...hopLines(first.queueId, ids)].sort(byTime),
      });
    }
    if (journey.verdicts.length > 0) {
      hops.push({
        kind: "verdicts",
        ts: journey.verdicts[0]?.ts ?? journey.firstTs,
        verdicts: journey.verdicts,
        // A filter's lines are the journey's hop named after it (lib/correlate/verdicts.ts: "dspam").
        lines: [...new Set(journey.verdicts.map((v) => v.filter))].flatMap((f) => hopLines(f, ids)),
      });
    }
    for (const queue of rest) {
      hops.push({
        kind: "reinjected",
        ts: queue.firstTs,
        queue,
        deliveries: journey.deliveries.filter((d) => d.queueId === queue.queueId).map(view),
        lines: hopLines(queue.queueId, ids),
      });
    }
    const mailbox = journey.deliveries.filter((d) => d.destination === "mailbox");
    const dovecot = hopLines("dovecot", ids);
    if (mailbox.length > 0 || dovecot.length > 0) {
      hops.push({
        kind: "mailbox",
        ts: mailbox[0]?.ts ?? dovecot[0]?.ts ?? journey.lastTs,
        deliveries: mailbox.map(view),
        lines: dovecot,
      });
    }
    // Trainings belong to the journey whose verdict carried their signature (else to the first).
    const signatures = new Set(journey.verdicts.map((v) => v.signature).filter(Boolean));
    const trainings = message.trainings.filter(
      (t) =>
        t.journeyId === journey.id ||
        (t.signature !== null && signatures.has(t.signature)) ||
        (index === 0 && !message.journeys.some((j) => j.id === t.journeyId)),
    );
    const trainingLines = linesByHop.get("training") ?? [];
    for (const training of trainings) {
      const own = new Set(JSON.parse(training.lines) as number[]);
      hops.push({
        kind: "training",
        ts: training.ts,
        training,
        lines: trainingLines.filter((l) => own.has(l.id)),
      });
    }
    const duplicates = [...new Set(journey.deliveries.filter(isFinal).map((d) => d.recipient.toLowerCase()))]
      .map((recipient) => ({ recipient, copies: copies.get(recipient) ?? 0 }))
      .filter((d) => d.copies > 1);
    return { key: journey.key, journey, hops, duplicates };
  });
}

function byTime(a: MessageLine, b: MessageLine): number {
  return (a.ts?.getTime() ?? 0) - (b.ts?.getTime() ?? 0) || a.id - b.id;
}
