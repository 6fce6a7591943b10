// DSPAM's classifications (system.log / per-user log records) joined to the journey of the message.
import type { DspamRecord } from "../core/events.ts";
import type { VerdictRecord } from "../core/journey.ts";
import { type Context, DEFAULTS } from "./context.ts";
import type { CorrelatorEvent, JourneyState } from "./state.ts";

/** Classes that are a verdict on a message (not a retrain, corpus or error record). */
export const VERDICT_CLASSES = new Set(["S", "I", "W", "V", "A", "O", "U"]);

function journeySpan(ctx: Context, journey: JourneyState): [number, number] {
  let first = Number.POSITIVE_INFINITY;
  for (const seq of journey.queues) {
    const queue = ctx.queues.get(seq);
    if (queue && queue.firstTs < first) first = queue.firstTs;
  }
  return [first, journey.lastActivity];
}

function fits(ctx: Context, journey: JourneyState, ts: number): boolean {
  const [first, last] = journeySpan(ctx, journey);
  return ts >= first - DEFAULTS.joinWindowMs && ts <= last + DEFAULTS.joinWindowMs;
}

/** A classification record: attached to the journey with its Message-ID, or kept until that journey shows up. */
export function onVerdict(ctx: Context, e: CorrelatorEvent, event: DspamRecord): void {
  const verdict: VerdictRecord = {
    ts: e.ts,
    filter: "dspam",
    filterUser: event.dspamUser,
    result: event.className,
    action: null,
    score: null,
    signature: event.signature,
    status: event.status,
    from: event.from,
    subject: event.subject,
    messageId: event.messageId,
    queueId: null,
    lineId: e.lineId,
  };
  const journey = event.messageId
    ? ctx.journeysWithMessageId(event.messageId).find((j) => fits(ctx, j, e.ts))
    : undefined;
  if (journey) {
    journey.verdicts.push(verdict);
    ctx.touch(journey, e.ts, [e.lineId, "dspam"]);
  } else {
    ctx.verdicts.push(verdict);
  }
}

/** A journey learnt its Message-ID: claim the classifications that were logged before. */
export function attachPendingVerdicts(ctx: Context, journey: JourneyState, messageId: string): void {
  if (ctx.verdicts.length === 0) return;
  const keep = [];
  for (const pending of ctx.verdicts) {
    if (pending.messageId === messageId && fits(ctx, journey, pending.ts)) {
      journey.verdicts.push(pending);
      ctx.touch(journey, pending.ts, [pending.lineId, "dspam"]);
    } else {
      keep.push(pending);
    }
  }
  ctx.verdicts = keep;
}

/**
 * A verdict as a snapshot saved before verdicts named their filter holds it (DSPAM's user, class
 * letter and class name), or as it is now.
 */
export function upgradeVerdict(saved: VerdictRecord | LegacyVerdict): VerdictRecord {
  if (!("dspamUser" in saved)) return saved;
  const { dspamUser, dspamClass: _letter, className, ...rest } = saved;
  return { ...rest, filter: "dspam", filterUser: dspamUser, result: className, action: null, score: null };
}

type LegacyVerdict = Omit<VerdictRecord, "filter" | "filterUser" | "result" | "action" | "score"> & {
  dspamUser: string;
  dspamClass: string;
  className: string;
};

/** Classifications that found no journey within the join window are handed out on their own. */
export function expireVerdicts(ctx: Context): void {
  const limit = ctx.clock - DEFAULTS.joinWindowMs;
  if (ctx.verdicts.length === 0 || (ctx.verdicts[0]?.ts ?? limit) >= limit) return;
  const keep = [];
  for (const pending of ctx.verdicts) {
    if (pending.ts < limit) {
      ctx.out.push({ type: "orphan-verdict", verdict: pending });
    } else {
      keep.push(pending);
    }
  }
  ctx.verdicts = keep;
}
