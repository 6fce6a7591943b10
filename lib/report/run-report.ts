// One report run: build → render → (send once) → record. The CLI and the schedule both call it.
import type { PrismaClient, ReportRun } from "../../generated/prisma/client.ts";
import { buildReport } from "./build.ts";
import { logValue } from "./display.ts";
import { dashboardLinks } from "./links.ts";
import type { ReportData } from "./model.ts";
import { periodName, type ReportPeriod } from "./period.ts";
import { renderHtml } from "./render-html.ts";
import { renderText } from "./render-text.ts";
import { acquireSendLock, findSentRun, finishRun, releaseSendLock, startRun } from "./runs.ts";
import { type MailSender, SendError } from "./send.ts";

export type RenderedReport = { data: ReportData; subject: string; html: string; text: string };

export type ReportOutcome =
  | { kind: "built"; run: ReportRun }
  | { kind: "sent"; run: ReportRun; accepted: string[]; rejected: string[] }
  | { kind: "already-sent"; run: ReportRun }
  | { kind: "busy" }
  | { kind: "failed"; run: ReportRun; error: string };

export type ReportJob = {
  prisma: PrismaClient;
  period: ReportPeriod;
  /** The dashboard's address for links (SPAMTRAIL_BASE_URL), or null. */
  baseUrl: string | null;
  /** The clock: when the report is generated, started and sent. */
  now: () => Date;
  /** Only this mail server (its messages, retrainings and findings); every server when absent. */
  host?: string;
  /** Send to these recipients (once per period unless `force`) through `sender`; null only builds. */
  send: { from: string; to: readonly string[]; force: boolean; sender: MailSender } | null;
};

/** Builds and renders a report, and sends it unless it was sent before; every attempt leaves a ReportRun. */
export async function runReport(job: ReportJob): Promise<{ report: RenderedReport; outcome: ReportOutcome }> {
  const { prisma } = job;
  // A report of one server is sent once per period too, apart from the report of all servers.
  const period = job.host ? { ...job.period, key: `${job.period.key}@${job.host}` } : job.period;
  const report = await renderReport(job);
  if (!job.send) {
    const run = await startRun(prisma, {
      period: period.key,
      startedAt: job.now(),
      recipients: [],
      subject: report.subject,
    });
    return { report, outcome: { kind: "built", run } };
  }
  const { to, force } = job.send;
  if (!force) {
    const sent = await findSentRun(prisma, period.key);
    if (sent) return { report, outcome: { kind: "already-sent", run: sent } };
  }
  const lock = await acquireSendLock(prisma, period.key, job.now());
  if (lock === null) return { report, outcome: { kind: "busy" } };
  try {
    // Checked again under the lock: another sender may have finished meanwhile.
    const sent = force ? null : await findSentRun(prisma, period.key);
    if (sent) return { report, outcome: { kind: "already-sent", run: sent } };
    const run = await startRun(prisma, {
      period: period.key,
      startedAt: job.now(),
      recipients: to,
      subject: report.subject,
    });
    try {
      const result = await job.send.sender({
        from: job.send.from,
        to,
        subject: report.subject,
        html: report.html,
        text: report.text,
      });
      const refused = result.rejected.length > 0 ? `refused recipients: ${result.rejected.join(", ")}` : null;
      const done = await finishRun(prisma, run.id, {
        status: "sent",
        sentAt: job.now(),
        recipients: result.accepted,
        error: refused,
      });
      return {
        report,
        outcome: { kind: "sent", run: done, accepted: result.accepted, rejected: result.rejected },
      };
    } catch (error) {
      const message =
        error instanceof SendError ? error.message : `sending failed: ${(error as Error).message}`;
      const failed = await finishRun(prisma, run.id, { status: "failed", error: message });
      return { report, outcome: { kind: "failed", run: failed, error: message } };
    }
  } finally {
    await releaseSendLock(prisma, period.key, lock);
  }
}

/** Builds the report's data and renders its subject, HTML and text. */
export async function renderReport(
  job: Pick<ReportJob, "prisma" | "period" | "baseUrl" | "now" | "host">,
): Promise<RenderedReport> {
  const data = await buildReport(job.period, { prisma: job.prisma, now: job.now(), host: job.host });
  const links = dashboardLinks(job.baseUrl, job.host);
  return { data, subject: reportSubject(data), html: renderHtml(data, links), text: renderText(data, links) };
}

/** "Spamtrail 2026-W47 on mail: needs attention: 4 high and 11 medium findings" (host names come from logs: cleaned, cut). */
export function reportSubject(data: ReportData): string {
  const host = data.hosts[0]
    ? ` on ${logValue(data.hosts[0], 40)}${data.hosts.length > 1 ? ` +${data.hosts.length - 1}` : ""}`
    : "";
  return `Spamtrail ${periodName(data.period)}${host}: ${data.verdict.short}`;
}
