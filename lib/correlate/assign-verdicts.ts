import type { DeliveryRecord, QueueRecord, VerdictRecord } from "../core/journey.ts";
import { filterPlugin } from "../filters/registry.ts";
import { sameAddress } from "./classify.ts";

/**
 * Gives each verdict to the queue it belongs to and each delivery of that queue the verdict it
 * carries. A filter after the queue (DSPAM) judged the copy it reinjected: its verdict goes to the
 * queue reinjected for the verdict's user. A milter's verdict names the queue it scanned. Pure:
 * returns new verdicts and deliveries.
 */
export function assignVerdicts(
  queues: readonly QueueRecord[],
  verdicts: readonly VerdictRecord[],
  deliveries: readonly DeliveryRecord[],
): { verdicts: VerdictRecord[]; deliveries: DeliveryRecord[] } {
  const afterQueue = (v: VerdictRecord) => filterPlugin(v.filter)?.reach !== "milter";
  const assigned = verdicts
    .map((v) => (afterQueue(v) ? { ...v, queueId: null as string | null } : { ...v }))
    .sort((a, b) => a.ts - b.ts);
  const byQueue = new Map<string, VerdictRecord>();
  for (const v of assigned) if (!afterQueue(v) && v.queueId !== null) byQueue.set(v.queueId, v);
  for (const queue of queues) {
    // A copy relayed from another of our servers left no filter: it carries no classification.
    if (!queue.parent || queue.parent.rule === "relay") continue;
    const classifiedAs = queue.parent.recipient ?? queue.receivedFor;
    if (!classifiedAs) continue;
    const verdict = assigned.find(
      (v) =>
        afterQueue(v) &&
        v.queueId === null &&
        v.filterUser !== null &&
        sameAddress(v.filterUser, classifiedAs),
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
