// Retraining into Rspamd followed in the correlator: a learn script's run (IMAPSieve → rspamc:
// the login, the user it passed, rspamc's answer), the controller's learn of it (the Message-ID,
// the Bayes user Rspamd trained, learned or refused) and the journey of that Message-ID (whose
// Bayes scored it) make one training. rspamc exits 0 when Rspamd refuses a learn: the text tells.
import type { RspamcOutput, RspamdLogEvent } from "../../core/events.ts";
import type { TrainingRecord } from "../../core/journey.ts";
import type { Context } from "../../correlate/context.ts";
import type { CorrelatorEvent } from "../../correlate/state.ts";
import type { LearnClass } from "./controller.ts";
import { isControllerLine } from "./join-scans.ts";
import { type LearnScriptLine, summariseLearnRun } from "./learn-script.ts";
import { foldLearnEvent } from "./learns.ts";

/** The controller's lines of one learn task so far. */
export type ControllerLearnState = {
  key: string;
  ts: number;
  messageId: string | null;
  /** The Bayes user trained (stat_redis debug line), lower-cased by Rspamd. */
  user: string | null;
  learnClass: LearnClass | null;
  outcome: "learned" | "refused" | "unknown";
  reason: string | null;
  lines: number[];
  /** Handed out as a training of its own (no learn script's run claimed it). */
  emitted: boolean;
};

/** One run of a learn script: the rspamc output lines one process logged. */
export type LearnRunState = {
  key: string;
  ts: number;
  host: string | null;
  output: LearnScriptLine[];
  lines: number[];
  /** The controller's learn of it, once paired. */
  learn: ControllerLearnState | null;
  /** Changed since it was last handed out. */
  dirty: boolean;
};

// The controller answers rspamc before rspamc prints: both within seconds of each other.
const PAIR_WINDOW_MS = 10_000;

/** A controller line of a learn task: its message, Bayes user, and result. */
export function onControllerLine(ctx: Context, e: CorrelatorEvent, event: RspamdLogEvent): void {
  const learn = learnOf(ctx, e, event);
  if (!learn) return;
  if (!foldLearnEvent(learn, event)) return;
  learn.lines.push(e.lineId);
}

// The learn a controller line belongs to: a controller task starts with its loaded message line;
// its other lines (stat_redis…) join it by task id even when syslog did not name the worker.
function learnOf(ctx: Context, e: CorrelatorEvent, event: RspamdLogEvent): ControllerLearnState | undefined {
  const taskId = event.task.taskId;
  if (taskId === null) return undefined;
  const key = learnKey(e, taskId);
  const learns = ctx.rspamd.learns;
  const open = learns.find((l) => l.key === key && !l.emitted && e.ts - l.ts <= PAIR_WINDOW_MS);
  if (open || event.kind !== "rspamd.message" || !isControllerLine(event)) return open;
  const learn: ControllerLearnState = {
    key,
    ts: e.ts,
    messageId: null,
    user: null,
    learnClass: null,
    outcome: "unknown",
    reason: null,
    lines: [],
    emitted: false,
  };
  learns.push(learn);
  return learn;
}

/** True when a controller learn task of this id is open (its stat_redis lines are no scan's). */
export const isLearnTask = (ctx: Context, e: CorrelatorEvent, taskId: string) =>
  ctx.rspamd.learns.some((l) => l.key === learnKey(e, taskId) && e.ts - l.ts <= PAIR_WINDOW_MS);

const learnKey = (e: CorrelatorEvent, taskId: string) => `${e.host ?? ""}\t${taskId}`;

/** One line of rspamc's output in a learn script's log: part of that process's run. */
export function onRspamcOutput(ctx: Context, e: CorrelatorEvent, event: RspamcOutput): void {
  const key = `${e.host ?? ""}\t${e.pid ?? ""}`;
  const runs = ctx.rspamd.runs;
  // rspamc prints one header per file: a second header of the same process is a second run.
  let run = runs.find((r) => r.key === key && e.ts - r.ts <= PAIR_WINDOW_MS);
  if (run && event.line.output.kind === "header" && run.output.some((line) => line.output.kind === "header"))
    run = undefined;
  if (!run) {
    run = { key, ts: e.ts, host: e.host, output: [], lines: [], learn: null, dirty: true };
    runs.push(run);
  }
  run.dirty = true;
  run.output.push(event.line);
  run.lines.push(e.lineId);
}

// A run or a learn waits this long for its other half: the other file may be read later, in
// another run (the result must not depend on the order files are read in).
const RETAIN_MS = 24 * 3_600_000;

/**
 * Hands out the trainings: each learn-script run with the controller learn nearest in time of the
 * same class and user (when Rspamd's log has it: it may come in a later run, and the training is
 * handed out again, completed, under the same key); a learn without a run when its message is mail
 * this server delivered (rspamc run by hand, another script). Learns of mail that never passed
 * here (a corpus trained with `rspamc learn_spam DIR`) are no retraining.
 */
export function drainRspamdTrainings(ctx: Context, provisional: boolean): void {
  const state = ctx.rspamd;
  const settled = ctx.clock - PAIR_WINDOW_MS;
  // A scan still waiting for its queue (its journey was stored by an earlier run) tells whose Bayes
  // scored the message once it is stored: its learns wait for it, or go out after it when asked.
  const scanWaiting = new Set(ctx.verdicts.filter((v) => v.filter === "rspamd").map((v) => v.messageId));
  for (const run of state.runs) {
    const summary = summariseLearnRun(run.output);
    const user = (summary.user ?? summary.login)?.toLowerCase() ?? null;
    if (!run.learn) {
      const learn = state.learns
        .filter(
          (l) =>
            !l.emitted &&
            l.outcome !== "unknown" &&
            Math.abs(l.ts - run.ts) <= PAIR_WINDOW_MS &&
            (l.learnClass === null || summary.learnClass === null || l.learnClass === summary.learnClass) &&
            (l.user === null || user === null || l.user === user),
        )
        .sort((a, b) => Math.abs(a.ts - run.ts) - Math.abs(b.ts - run.ts))[0];
      if (learn) {
        run.learn = learn;
        run.dirty = true;
        state.learns = state.learns.filter((l) => l !== learn);
      }
    }
    // A run of the last seconds may still meet its learn: shown as it stands only when asked.
    const waits = run.ts > settled || scanWaiting.has(run.learn?.messageId ?? null);
    if (!run.dirty || (waits && !provisional)) continue;
    run.dirty = false;
    const learn = run.learn;
    const outcome = learn && learn.outcome !== "unknown" ? learn.outcome : summary.outcome;
    emit(ctx, trainingKey(run.ts, user), {
      ts: run.ts,
      host: run.host,
      login: summary.login,
      user: learn?.user ?? user,
      learnClass: summary.learnClass ?? learn?.learnClass ?? null,
      messageId: learn?.messageId ?? null,
      outcome,
      // Rspamd's own words (why a learn condition refused) say more than rspamc's error.
      reason: outcome === "learned" ? null : (learn?.reason ?? summary.error),
      lines: [...run.lines, ...(learn?.lines ?? [])].sort((a, b) => a - b),
    });
  }
  for (const learn of state.learns) {
    if (learn.emitted || learn.ts > settled || learn.outcome === "unknown") continue;
    if (learn.messageId === null || ctx.journeysWithMessageId(learn.messageId).length === 0) continue;
    learn.emitted = true;
    emit(ctx, trainingKey(learn.ts, learn.user), { ...learn, host: null, login: null });
  }
  const forget = ctx.clock - RETAIN_MS;
  state.runs = state.runs.filter((r) => r.ts >= forget);
  state.learns = state.learns.filter((l) => l.ts >= forget);
}

type Learn = {
  ts: number;
  host: string | null;
  login: string | null;
  user: string | null;
  learnClass: LearnClass | null;
  messageId: string | null;
  outcome: "learned" | "refused" | "failed" | "unknown";
  reason: string | null;
  lines: number[];
};

/** NOTE: persisted (Training.key): rspamd/second/learn user. */
const trainingKey = (ts: number, user: string | null) => `rspamd/${Math.floor(ts / 1000)}/${user ?? "-"}`;

function emit(ctx: Context, key: string, learn: Learn): void {
  const training: TrainingRecord = {
    key,
    ts: learn.ts,
    host: learn.host,
    login: learn.login,
    filter: "rspamd",
    filterUser: learn.user,
    classifiedUser: learn.messageId ? classifiedUser(ctx, learn.messageId, learn.user) : null,
    signature: null,
    messageId: learn.messageId,
    direction: learn.learnClass === "ham" ? "innocent" : "spam",
    outcome: learn.outcome === "learned" ? "applied" : learn.outcome === "unknown" ? "unknown" : "failed",
    reason:
      learn.outcome === "refused"
        ? `Rspamd refused the learn: ${learn.reason ?? "no classifier's learn condition allowed it"}`
        : learn.reason,
    fromMailbox: null,
    toMailbox: null,
    lines: learn.lines,
  };
  ctx.out.push({ type: "training", training });
}

// Whose Bayes scored the message: the scan of the journey that delivered a copy to the learner,
// else of any journey of the Message-ID.
function classifiedUser(ctx: Context, messageId: string, learner: string | null): string | null {
  const journeys = ctx.journeysWithMessageId(messageId);
  const delivered = journeys.find((journey) =>
    journey.queues.some((seq) =>
      ctx.queues.get(seq)?.deliveries.some((d) => d.mailbox?.user.toLowerCase() === learner),
    ),
  );
  for (const journey of delivered ? [delivered] : journeys) {
    const verdict = journey.verdicts.find((v) => v.filter === "rspamd");
    if (verdict) return verdict.filterUser;
  }
  return null;
}
