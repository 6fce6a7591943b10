// Which weekly report is due, and sending it: for `spamtrail follow` (called now and then) and
// for anyone who wants the decision without the CLI. A week is due once its end has passed the
// schedule's next time (default Mondays 07:00); the latest due week is sent if it was not yet.
import { Cron } from "croner";
import type { PrismaClient, ReportRun } from "../../generated/prisma/client.ts";
import { displayZone } from "../core/display-zone.ts";
import { getDataSpan } from "../queries/stats.ts";
import { ConfigError, type ReportConfig } from "./config.ts";
import { lastCompleteWeek, previousPeriod, type ReportPeriod, weekContaining } from "./period.ts";
import { type ReportOutcome, runReport } from "./run-report.ts";
import { findLastRun, findSentRun } from "./runs.ts";
import { type MailSender, smtpSender } from "./send.ts";

export type SendDueOptions = {
  prisma: PrismaClient;
  /** The clock; called for "now" and for the run's timestamps. */
  now: () => Date;
  config: ReportConfig;
  /** Send even if the due week was sent already. */
  force?: boolean;
  /** A failed send is retried after this long (default one hour). */
  retryAfterMs?: number;
  /** Replaces SMTP (tests). */
  sender?: MailSender;
};

export type DueResult =
  /** Sent now (possibly to fewer recipients: see `outcome.rejected`). */
  | {
      action: "sent";
      period: string;
      outcome: Extract<ReportOutcome, { kind: "sent" }>;
      nextDue: Date | null;
    }
  /** Tried and failed now; retried on a later call after retryAfterMs. */
  | { action: "failed"; period: string; error: string; run: ReportRun; nextDue: Date | null }
  /** Nothing to do: the due week was sent before. */
  | { action: "already-sent"; period: string; run: ReportRun; nextDue: Date | null }
  /** The last attempt failed less than retryAfterMs ago. */
  | { action: "retry-later"; period: string; retryAt: Date; error: string | null; nextDue: Date | null }
  /** No week is due (the schedule has not fired since the last week ended) or the database has no mail before it. */
  | { action: "not-due"; period: string | null; reason: string; nextDue: Date | null }
  /** Another process is sending this week right now. */
  | { action: "busy"; period: string; nextDue: Date | null };

const HOUR = 3_600_000;
/** How many weeks back a sparse schedule (e.g. monthly) may reach for the latest due week. */
const LOOKBACK_WEEKS = 6;

/** When a week's report falls due: the schedule's first time after the week ends. */
export function dueAt(week: ReportPeriod, schedule: string): Date | null {
  return new Cron(schedule, { paused: true, timezone: displayZone() }).nextRun(
    new Date(week.until.getTime() - 1),
  );
}

/** The most recent week whose report is due at `now`, or null. */
export function latestDueWeek(now: Date, schedule: string): ReportPeriod | null {
  let week = lastCompleteWeek(now);
  for (let i = 0; i < LOOKBACK_WEEKS; i++) {
    const due = dueAt(week, schedule);
    if (due !== null && due <= now) return week;
    week = previousPeriod(week);
  }
  return null;
}

/**
 * Sends the weekly report that is due, once: decides the latest due week from the clock and the
 * schedule (config.schedule), skips it when a ReportRun already sent it (unless `force`), waits
 * `retryAfterMs` after a failed attempt, and sends a week missed while nothing was running as
 * soon as it is called again. Weeks older than the latest due one are not sent.
 */
export async function sendDueReports(options: SendDueOptions): Promise<DueResult> {
  const { prisma, config } = options;
  const now = options.now();
  const week = latestDueWeek(now, config.schedule);
  const lastDue = dueAt(lastCompleteWeek(now), config.schedule);
  const upcoming = lastDue !== null && lastDue > now ? lastDue : dueAt(weekContaining(now), config.schedule);
  if (!week) return { action: "not-due", period: null, reason: "no week is due yet", nextDue: upcoming };
  if (!options.force) {
    const sent = await findSentRun(prisma, week.key);
    if (sent) return { action: "already-sent", period: week.key, run: sent, nextDue: upcoming };
    const last = await findLastRun(prisma, week.key);
    const retryAt =
      last?.status === "failed" ? new Date(last.startedAt.getTime() + (options.retryAfterMs ?? HOUR)) : null;
    if (retryAt && retryAt > now) {
      return {
        action: "retry-later",
        period: week.key,
        retryAt,
        error: last?.error ?? null,
        nextDue: upcoming,
      };
    }
    const span = await getDataSpan(prisma);
    if (!span || span.first >= week.until) {
      return {
        action: "not-due",
        period: week.key,
        reason: "the database has no mail before this week ended",
        nextDue: upcoming,
      };
    }
  }
  if (config.to.length === 0) throw new ConfigError("no recipients: set SPAMTRAIL_REPORT_TO");
  const { outcome } = await runReport({
    prisma,
    period: week,
    baseUrl: config.baseUrl,
    now: options.now,
    send: {
      from: config.from,
      to: config.to,
      force: options.force ?? false,
      sender: options.sender ?? smtpSender(config.smtp),
    },
  });
  switch (outcome.kind) {
    case "sent":
      return { action: "sent", period: week.key, outcome, nextDue: upcoming };
    case "failed":
      return {
        action: "failed",
        period: week.key,
        error: outcome.error,
        run: outcome.run,
        nextDue: upcoming,
      };
    case "already-sent":
      return { action: "already-sent", period: week.key, run: outcome.run, nextDue: upcoming };
    case "busy":
      return { action: "busy", period: week.key, nextDue: upcoming };
    case "built":
      throw new Error("runReport built without sending");
  }
}
