// DSPAM's verdict mapping: a classification record of system.log or a per-user log, as the
// filter-neutral verdict the correlator stores. DSPAM's class names are kept as the result.
import type { DspamRecord } from "../../core/events.ts";
import type { VerdictRecord } from "../../core/journey.ts";

/** Classes that are a verdict on a message (not a retrain, corpus or error record). */
export const VERDICT_CLASSES = new Set(["S", "I", "W", "V", "A", "O", "U"]);
/** M and F: DSPAM applied a retrain (spam, innocent) — a training, not a verdict. */
export const RETRAIN_CLASSES = new Set(["M", "F"]);

/** DSPAM's class names that mean spam, and those that let the message through. */
export const DSPAM_SPAM_RESULTS = ["spam", "virus", "blacklisted", "blocklisted"] as const;
export const DSPAM_HAM_RESULTS = ["innocent", "whitelisted"] as const;

/** The verdict of one classification record logged at `ts` on line `lineId`. */
export function verdictOfRecord(event: DspamRecord, ts: number, lineId: number): VerdictRecord {
  return {
    ts,
    filter: "dspam",
    filterUser: event.dspamUser,
    result: event.className,
    // DSPAM logs neither an action nor a score in its records.
    action: null,
    score: null,
    signature: event.signature,
    status: event.status,
    from: event.from,
    subject: event.subject,
    messageId: event.messageId,
    queueId: null,
    lineId,
  };
}
