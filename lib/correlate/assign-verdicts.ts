import type { DeliveryRecord, QueueRecord, VerdictRecord } from "../core/journey.ts";
import { sameAddress } from "./classify.ts";

/**
 * Gives each DSPAM verdict to the reinjected queue it belongs to — the queue reinjected for the
 * verdict's DSPAM user — and each delivery of that queue the verdict it carries. Pure: returns new
 * verdicts and deliveries.
 */
export function assignVerdicts(
  queues: readonly QueueRecord[],
  verdicts: readonly VerdictRecord[],
  deliveries: readonly DeliveryRecord[],
): { verdicts: VerdictRecord[]; deliveries: DeliveryRecord[] } {
  const assigned = verdicts
    .map((v) => ({ ...v, queueId: null as string | null }))
    .sort((a, b) => a.ts - b.ts);
  const byQueue = new Map<string, VerdictRecord>();
  for (const queue of queues) {
    // A copy relayed from another of our servers left no filter: it carries no classification.
    if (!queue.parent || queue.parent.rule === "relay") continue;
    const classifiedAs = queue.parent.recipient ?? queue.receivedFor;
    if (!classifiedAs) continue;
    const verdict = assigned.find(
      (v) => v.queueId === null && v.filterUser !== null && sameAddress(v.filterUser, classifiedAs),
    );
    if (!verdict) continue;
    verdict.queueId = queue.queueId;
    byQueue.set(queue.queueId, verdict);
  }
  return {
    verdicts: assigned,
    deliveries: deliveries.map((d) => {
      const verdict = byQueue.get(d.queueId);
      return {
        ...d,
        verdict: verdict
          ? {
              filter: verdict.filter,
              filterUser: verdict.filterUser,
              result: verdict.result,
              signature: verdict.signature,
            }
          : null,
      };
    }),
  };
}
