// Rspamd's scans followed in the correlator's streaming state. Rspamd is a milter: it scans once
// per SMTP transaction, before the queue id's first delivery, so a scan's verdict belongs to the
// smtpd queue its task line names (`qid:`) and to every delivery of that queue. The Bayes user is
// the one its task's stat_redis debug line names (logged by the same worker just before the task
// line) or, without debug logging, the one Rspamd would have used (bayes-user.ts), marked inferred.
import type { RspamdLogEvent } from "../../core/events.ts";
import type { VerdictRecord } from "../../core/journey.ts";
import { type Context, DEFAULTS } from "../../correlate/context.ts";
import type { CorrelatorEvent, QueueState } from "../../correlate/state.ts";
import { verdictOfRspamdScan } from "../verdict.ts";
import { type BayesUser, bayesUserOf } from "./bayes-user.ts";
import { isLearnTask } from "./join-learns.ts";
import type { RspamdScan } from "./task-log.ts";
import { BAYES_USER_INFERRED, BAYES_USER_OBSERVED } from "./verdict-status.ts";

// stat_redis lines precede their task line by the scan's duration: seconds at most.
const TASK_WINDOW_MS = 60_000;

const taskKey = (e: CorrelatorEvent, taskId: string) => `${e.host ?? ""}\t${taskId}`;

/** A line of the controller (rspamc learn, the web UI): a learn, not a verdict on delivered mail. */
export const isControllerLine = (event: RspamdLogEvent) =>
  event.task.worker === "controller" || event.task.module === "csession";

/** stat_redis `tokens learned for RS<user>`: remembered for the task line that follows. */
export function onBayesKey(
  ctx: Context,
  e: CorrelatorEvent,
  user: string | null,
  event: RspamdLogEvent,
): void {
  const state = ctx.rspamd;
  state.usersEnabled = user !== null;
  const taskId = event.task.taskId;
  if (taskId === null || isControllerLine(event) || isLearnTask(ctx, e, taskId)) return;
  const key = taskKey(e, taskId);
  // A task reads the key once per class: the first line names it.
  if (!state.taskUsers.some((t) => t.key === key))
    state.taskUsers.push({ key, user, ts: e.ts, lineId: e.lineId });
}

/** A task log line of a scan for the MTA: its verdict, joined to its Postfix queue or kept until it appears. */
export function onScan(
  ctx: Context,
  e: CorrelatorEvent,
  event: RspamdLogEvent & { kind: "rspamd.scan" },
): void {
  if (isControllerLine(event)) return;
  const state = ctx.rspamd;
  const key = event.task.taskId === null ? null : taskKey(e, event.task.taskId);
  const observed = key === null ? undefined : state.taskUsers.find((t) => t.key === key);
  if (observed) state.taskUsers = state.taskUsers.filter((t) => t !== observed);
  state.taskUsers = state.taskUsers.filter((t) => t.ts >= e.ts - TASK_WINDOW_MS);
  const bayes: BayesUser = observed
    ? { user: observed.user, how: "observed" }
    : bayesUserOf({ smtpRcpts: event.scan.rcpts, usersEnabled: state.usersEnabled ?? true });
  const verdict = scanVerdictRecord(event.scan, bayes, e);
  const queue = event.scan.qid ? scannedQueue(ctx, e, event.scan.qid) : undefined;
  if (!queue) {
    ctx.verdicts.push(verdict);
    return;
  }
  const journey = ctx.journeyOf(queue);
  journey.verdicts.push(verdict);
  ctx.touch(journey, e.ts, [e.lineId, "rspamd"]);
  if (observed) journey.lines.push([observed.lineId, "rspamd"]);
}

// The queue a scan names: on the scan's host, or on any host when Rspamd's own log names none;
// the newest with that id that started near the scan (queue ids are reused).
function scannedQueue(ctx: Context, e: CorrelatorEvent, qid: string): QueueState | undefined {
  const hosts = e.host !== null ? [e.host] : [null, ...ctx.hosts];
  return hosts
    .map((host) => ctx.queueByKey(host, qid))
    .find((queue) => queue !== undefined && Math.abs(queue.firstTs - e.ts) <= DEFAULTS.joinWindowMs);
}

/** The verdict record of a scan as the journey stores it. */
function scanVerdictRecord(scan: RspamdScan, bayes: BayesUser, e: CorrelatorEvent): VerdictRecord {
  const verdict = verdictOfRspamdScan(scan, bayes, e.ts);
  return {
    ts: e.ts,
    filter: "rspamd",
    filterUser: verdict.user,
    result: verdict.result,
    action: verdict.action ?? null,
    score: verdict.score ?? null,
    signature: null,
    status: bayes.how === "observed" ? BAYES_USER_OBSERVED : BAYES_USER_INFERRED,
    from: scan.from,
    subject: null,
    messageId: scan.messageId,
    queueId: scan.qid,
    lineId: e.lineId,
  };
}
