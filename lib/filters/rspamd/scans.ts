// A scan joined with the Bayes user its task's stat_redis lines name (same task id, written
// before the task line by the same worker), or, without them, the user Rspamd would have used.
import { type BayesUser, bayesUserOf } from "./bayes-user.ts";
import type { RspamdEvent } from "./index.ts";
import type { RspamdLine } from "./log-line.ts";
import type { RspamdScan } from "./task-log.ts";

export type JoinedScan = {
  line: RspamdLine;
  scan: RspamdScan;
  bayes: BayesUser;
  /**
   * mta: a scan for the MTA (normal worker, or the proxy in self-scan mode); controller: a scan the
   * controller ran for rspamc or the web UI (e.g. while learning), not a verdict on delivered mail.
   */
  origin: "mta" | "controller";
};

/**
 * Joins every scan of a batch of parsed lines to its Bayes user. `usersEnabled` is the
 * classifier's setting (per-user Bayes), needed only for scans without a stat_redis line.
 */
export function joinScans(
  items: readonly { line: RspamdLine; event: RspamdEvent }[],
  usersEnabled: boolean,
): JoinedScan[] {
  const observed = new Map<string, string | null>();
  for (const { line, event } of items)
    if (event.kind === "rspamd.bayes-key" && line.taskId !== null && !observed.has(line.taskId))
      observed.set(line.taskId, event.user);
  const joined: JoinedScan[] = [];
  for (const { line, event } of items) {
    if (event.kind !== "rspamd.scan") continue;
    const seen = line.taskId === null ? undefined : observed.get(line.taskId);
    // The key of a global Bayes (users_enabled off) names no user, but it was observed all the same.
    const bayes: BayesUser =
      seen === undefined
        ? bayesUserOf({ smtpRcpts: event.scan.rcpts, usersEnabled })
        : { user: seen, how: "observed" };
    const origin = line.process === "controller" || line.module === "csession" ? "controller" : "mta";
    joined.push({ line, scan: event.scan, bayes, origin });
  }
  return joined;
}
