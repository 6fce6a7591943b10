// The weekly report as one of `spamtrail follow`'s periodic tasks: checks every few minutes whether
// a week's report is due, sends it once, and a week missed while follow was stopped on its first check.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { PeriodicTask } from "../ingest/follow/periodic.ts";
import type { ReportConfig } from "./config.ts";
import { sendDueReports } from "./schedule.ts";

const CHECK_EVERY_MS = 5 * 60_000;

export function weeklyReportTask(prisma: PrismaClient, config: ReportConfig): PeriodicTask {
  let lastSaid = "";
  return {
    name: "weekly report",
    everyMs: CHECK_EVERY_MS,
    // Right after catching up: a week that fell due while follow was stopped goes out now.
    firstAfterMs: 0,
    async run(context) {
      const result = await sendDueReports({ prisma, config, now: () => new Date(context.now()) });
      const next = result.nextDue ? `; next due ${result.nextDue.toISOString()}` : "";
      let message: string;
      switch (result.action) {
        case "sent":
          message = `Weekly report ${result.period} sent to ${result.outcome.accepted.join(", ")}`;
          if (result.outcome.rejected.length > 0)
            message += ` (refused: ${result.outcome.rejected.join(", ")})`;
          break;
        case "failed":
          message = `Weekly report ${result.period} not sent: ${result.error}; trying again in an hour`;
          break;
        case "already-sent":
          message = `Weekly report ${result.period} was sent before${next}`;
          break;
        case "retry-later":
          message = `Weekly report ${result.period}: trying again at ${result.retryAt.toISOString()}`;
          break;
        case "not-due":
          message = `Weekly report: ${result.reason}${next}`;
          break;
        case "busy":
          message = `Weekly report ${result.period} is being sent by another process`;
          break;
      }
      // Every five minutes the same "nothing to do" would drown the log: say each state once.
      if (message !== lastSaid) context.log(message);
      lastSaid = message;
    },
  };
}
