import type { JourneyRecord } from "../core/journey.ts";
import { deliveredCopies } from "./copies.ts";
import type { Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";

/**
 * The same message delivered more than once to the same final recipient through different queues:
 * aliases expanded both before and after the content filter.
 */
export function detectDuplicateDelivery(journey: JourneyRecord): Evidence[] {
  const byRecipient = new Map<string, ReturnType<typeof deliveredCopies>>();
  for (const copy of deliveredCopies(journey)) {
    const key = lower(copy.recipient);
    byRecipient.set(key, [...(byRecipient.get(key) ?? []), copy]);
  }
  const evidence: Evidence[] = [];
  for (const [recipient, copies] of byRecipient) {
    const queues = unique(copies.map((c) => c.queueId));
    if (copies.length < 2 || queues.length < 2) continue;
    evidence.push({
      kind: "duplicate-delivery",
      subject: { recipient },
      severity: "medium",
      ref: journey.key,
      ts: Math.min(...copies.map((c) => c.ts)),
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: unique(copies.map((c) => c.verdict?.dspamUser).filter((u): u is string => !!u)),
      recipients: [recipient],
      detail: {
        copies: copies.length,
        queueIds: queues,
        via: unique(copies.map((c) => c.origRecipient ?? c.recipient)),
        destination: copies[0]?.destination,
      },
      lineIds: copies.map((c) => c.lineId),
    });
  }
  return evidence;
}
