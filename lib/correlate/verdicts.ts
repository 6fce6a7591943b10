// A filter's verdicts joined to the journey of the message by Message-ID within the join window
// (DSPAM's records, made verdicts by lib/filters/dspam/verdict.ts).
import type { VerdictRecord } from "../core/journey.ts";
import { filterPlugin } from "../filters/registry.ts";
import { type Context, DEFAULTS } from "./context.ts";
import type { CorrelatorEvent, JourneyState } from "./state.ts";

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

/**
 * A filter's verdict: attached to the journey with its Message-ID, or kept until that journey shows
 * up. Its line joins the journey's hop named after the filter.
 */
export function onVerdict(ctx: Context, e: CorrelatorEvent, verdict: VerdictRecord): void {
  const journey = verdict.messageId
    ? ctx.journeysWithMessageId(verdict.messageId).find((j) => fits(ctx, j, e.ts))
    : undefined;
  if (journey) {
    journey.verdicts.push(verdict);
    ctx.touch(journey, e.ts, [e.lineId, verdict.filter]);
  } else {
    ctx.verdicts.push(verdict);
  }
}

/** A milter's verdict (Rspamd): made on the SMTP transaction of the queue it names. */
export const isScan = (verdict: VerdictRecord) => filterPlugin(verdict.filter)?.reach === "milter";

/** A pending scan belongs to this queue: the queue id it named, started within the join window. */
export const scanOfQueue = (verdict: VerdictRecord, queue: { queueId: string; firstTs: number }) =>
  isScan(verdict) &&
  verdict.queueId === queue.queueId &&
  Math.abs(queue.firstTs - verdict.ts) <= DEFAULTS.joinWindowMs;

/** A journey learnt its Message-ID: claim the classifications that were logged before. */
export function attachPendingVerdicts(ctx: Context, journey: JourneyState, messageId: string): void {
  if (ctx.verdicts.length === 0) return;
  const keep = [];
  for (const pending of ctx.verdicts) {
    // A milter's scan names the queue it belongs to; DSPAM's verdicts only the Message-ID.
    const ours =
      isScan(pending) && pending.queueId !== null
        ? journey.queues.some((seq) => {
            const queue = ctx.queues.get(seq);
            return queue !== undefined && scanOfQueue(pending, queue);
          })
        : pending.messageId === messageId && fits(ctx, journey, pending.ts);
    if (ours) {
      journey.verdicts.push(pending);
      ctx.touch(journey, pending.ts, [pending.lineId, pending.filter]);
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
