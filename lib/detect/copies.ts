import type { DeliveryRecord, JourneyRecord, QueueRecord, VerdictRecord } from "../core/journey.ts";
import type { FilterName } from "../filters/verdict.ts";

const isFinal = (d: DeliveryRecord) => d.destination === "mailbox" || d.destination === "external";

/** Copies that reached a mailbox or a remote server. */
export function deliveredCopies(journey: JourneyRecord): DeliveryRecord[] {
  return journey.deliveries.filter((d) => isFinal(d) && d.status === "sent");
}

/** What became of a copy the filter judged. NOTE: persisted in evidence details (`fates`). */
export type CopyFate = "delivered" | "bounced" | "deferred" | "expired" | "queued";

/** One copy the filter judged (one verdict), whatever became of it afterwards. */
export type JudgedCopy = {
  filter: FilterName;
  /** The statistics user that judged it; null for a global statistics store. */
  filterUser: string | null;
  result: string;
  signature: string | null;
  /** Who the copy was for: its final deliveries' recipients, else the hand-off recipient, else the statistics user. */
  recipients: string[];
  /** Its final delivery attempts (mailboxes, other servers), any status. */
  deliveries: DeliveryRecord[];
  fate: CopyFate;
  /** The verdict's line and its deliveries' lines. */
  lineIds: number[];
  ts: number;
};

/**
 * Every copy the filter judged, one per verdict: delivered, bounced, deferred, expired or still queued.
 * The filter's own record is the evidence that it judged the copy, whether or not Postfix delivered it.
 */
export function judgedCopies(journey: JourneyRecord): JudgedCopy[] {
  return journey.verdicts.map((verdict) => {
    const deliveries = journey.deliveries.filter(
      (d) =>
        isFinal(d) && (verdict.queueId !== null ? d.queueId === verdict.queueId : sameVerdict(d, verdict)),
    );
    const queue = journey.queues.find((q) => q.queueId === verdict.queueId);
    const recipients = [...new Set(deliveries.map((d) => d.recipient.toLowerCase()))];
    return {
      filter: verdict.filter,
      filterUser: verdict.filterUser,
      result: verdict.result,
      signature: verdict.signature,
      recipients: recipients.length > 0 ? recipients : [handedOffFor(queue, verdict).toLowerCase()],
      deliveries,
      fate: fateOf(deliveries, queue),
      lineIds: [verdict.lineId, ...deliveries.map((d) => d.lineId)],
      ts: verdict.ts,
    };
  });
}

const sameVerdict = (d: DeliveryRecord, v: VerdictRecord) =>
  d.verdict !== null && d.verdict.signature === v.signature && d.verdict.filterUser === v.filterUser;

// The recipient the filter hand-off was for; DSPAM names its user after the LMTP recipient.
function handedOffFor(queue: QueueRecord | undefined, verdict: VerdictRecord): string {
  return queue?.parent?.recipient ?? queue?.receivedFor ?? verdict.filterUser ?? "";
}

function fateOf(deliveries: readonly DeliveryRecord[], queue: QueueRecord | undefined): CopyFate {
  if (deliveries.some((d) => d.status === "sent")) return "delivered";
  if (deliveries.some((d) => d.status === "bounced")) return "bounced";
  if (queue?.closed === "expired" || queue?.actions.includes("expired")) return "expired";
  return deliveries.length > 0 ? "deferred" : "queued";
}
