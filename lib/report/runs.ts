// The report's memory: ReportRun rows (built, sent or failed per period) and a short-lived lock in
// Setting so that two senders (live follow and a cron job) never send the same week twice.
import type { PrismaClient, ReportRun } from "../../generated/prisma/client.ts";

export type RunStatus = "built" | "sent" | "failed";

/** How long a send may hold the lock before another process may take it over. */
const LOCK_STALE_MS = 10 * 60_000;

/** The last run that sent this period, or null. */
export function findSentRun(prisma: PrismaClient, period: string): Promise<ReportRun | null> {
  return prisma.reportRun.findFirst({ where: { period, status: "sent" }, orderBy: { id: "desc" } });
}

/** The most recent run of this period in any status, or null. */
export function findLastRun(prisma: PrismaClient, period: string): Promise<ReportRun | null> {
  return prisma.reportRun.findFirst({ where: { period }, orderBy: { id: "desc" } });
}

/** Starts a run as `built`. NOTE: recipients are stored as a JSON array of addresses. */
export function startRun(
  prisma: PrismaClient,
  run: { period: string; startedAt: Date; recipients: readonly string[]; subject: string },
): Promise<ReportRun> {
  return prisma.reportRun.create({
    data: {
      period: run.period,
      startedAt: run.startedAt,
      recipients: JSON.stringify(run.recipients),
      status: "built",
      subject: run.subject,
    },
  });
}

/** Marks a run sent (to the recipients the server accepted) or failed (with the reason). */
export function finishRun(
  prisma: PrismaClient,
  id: number,
  outcome:
    | { status: "sent"; sentAt: Date; recipients: readonly string[]; error: string | null }
    | { status: "failed"; error: string },
): Promise<ReportRun> {
  return prisma.reportRun.update({
    where: { id },
    data:
      outcome.status === "sent"
        ? {
            status: "sent",
            sentAt: outcome.sentAt,
            recipients: JSON.stringify(outcome.recipients),
            error: outcome.error,
          }
        : { status: "failed", error: outcome.error },
  });
}

/** Recipients of a run (the JSON array startRun/finishRun store). */
export function runRecipients(run: ReportRun): string[] {
  try {
    const parsed = JSON.parse(run.recipients) as unknown;
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

const lockKey = (period: string) => `report.sending:${period}`;

/** Takes the send lock of a period; false when another process holds a fresh one. */
export async function acquireSendLock(
  prisma: PrismaClient,
  period: string,
  now: Date,
): Promise<string | null> {
  const token = JSON.stringify({
    pid: process.pid,
    at: now.toISOString(),
    nonce: Math.random().toString(36).slice(2),
  });
  const key = lockKey(period);
  try {
    await prisma.setting.create({ data: { key, value: token, updatedAt: now } });
    return token;
  } catch {
    const held = await prisma.setting.findUnique({ where: { key } });
    if (held && now.getTime() - held.updatedAt.getTime() < LOCK_STALE_MS) return null;
    // Stale (a sender died): take it over only if nobody else did in between.
    const taken = await prisma.setting.updateMany({
      where: { key, value: held?.value ?? "" },
      data: { value: token, updatedAt: now },
    });
    return taken.count === 1 ? token : null;
  }
}

/** Releases the lock if it is still ours. */
export async function releaseSendLock(prisma: PrismaClient, period: string, token: string): Promise<void> {
  await prisma.setting.deleteMany({ where: { key: lockKey(period), value: token } });
}
