// Where a message still in flight stands: what the "in progress" mark says.

/** Why a journey is still followed. */
export type Progress = "deferred" | "in the filter" | "queued" | "waiting for late lines";

type JourneyLike = {
  inProgress: boolean;
  complete: boolean;
  queues: readonly { queueId: string; closed: string | null; parentQueueId: string | null }[];
  deliveries: readonly { queueId: string; destination: string; status: string; ts: Date | number }[];
};

const time = (ts: Date | number) => (ts instanceof Date ? ts.getTime() : ts);

/** Null once the journey is final; otherwise what it waits for, the most telling first. */
export function progressOf(journey: JourneyLike): Progress | null {
  if (!journey.inProgress) return null;
  const open = journey.queues.filter((q) => q.closed === null);
  const lastAttempt = (queueId: string) =>
    journey.deliveries
      .filter((d) => d.queueId === queueId && d.destination !== "filter")
      .sort((a, b) => time(b.ts) - time(a.ts))[0];
  if (open.some((q) => lastAttempt(q.queueId)?.status === "deferred")) return "deferred";
  // Handed to the filter, and the copy it reinjects not seen yet.
  const handedOff = journey.deliveries.filter((d) => d.destination === "filter" && d.status === "sent");
  if (handedOff.some((d) => !journey.queues.some((q) => q.parentQueueId === d.queueId)))
    return "in the filter";
  return open.length > 0 ? "queued" : "waiting for late lines";
}

/** "In progress: deferred" and a sentence for a reader. */
export const PROGRESS_TEXT: Record<Progress, string> = {
  deferred: "a delivery was deferred; Postfix will try again",
  "in the filter": "handed to the content filter, its copy not back yet",
  queued: "still in Postfix's queue",
  "waiting for late lines":
    "delivered; waiting a few minutes for late lines of other programs (DSPAM, Dovecot)",
};
