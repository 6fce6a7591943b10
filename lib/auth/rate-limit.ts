import type { PrismaClient } from "../../generated/prisma/client.ts";

/** Failed logins are counted over this window. */
export const LOGIN_WINDOW_MS = 15 * 60 * 1000;
/** Failures from one address within the window before logins from it are refused. */
export const MAX_FAILURES_PER_IP = 5;
/**
 * Failures for one user name from all addresses: a backstop when the client address cannot be
 * trusted (X-Forwarded-For sent by the client itself when the dashboard is exposed without a proxy).
 */
export const MAX_FAILURES_PER_USER = 50;
// Login attempts are the audit trail of sign-ins; older rows are dropped.
const KEEP_ATTEMPTS_MS = 90 * 24 * 60 * 60 * 1000;

export type LoginBlock = { scope: "address" | "user"; retryAt: Date };

async function block(
  prisma: PrismaClient,
  scope: { ip: string } | { username: string },
  limit: number,
  now: Date,
  before: number | undefined,
): Promise<Date | null> {
  const where = before === undefined ? scope : { ...scope, id: { lt: before } };
  const windowStart = new Date(now.getTime() - LOGIN_WINDOW_MS);
  const lastSuccess = await prisma.loginAttempt.findFirst({
    where: { ...where, ok: true, at: { gte: windowStart } },
    orderBy: { at: "desc" },
    select: { at: true },
  });
  const since = lastSuccess ? lastSuccess.at : windowStart;
  const failures = await prisma.loginAttempt.findMany({
    where: { ...where, ok: false, at: { gt: since } },
    orderBy: { at: "desc" },
    take: limit,
    select: { at: true },
  });
  if (failures.length < limit) return null;
  // Refused until the oldest of the last `limit` failures leaves the window.
  const oldest = failures[failures.length - 1]?.at ?? now;
  return new Date(oldest.getTime() + LOGIN_WINDOW_MS);
}

/**
 * Whether a login from this address for this user name must be refused now, and until when.
 * `before` (an attempt's id) counts only the attempts recorded before it: those that parallel
 * requests recorded first, each of which may still be checking its password.
 */
export async function loginBlocked(
  prisma: PrismaClient,
  options: { ip: string; username: string; now?: Date; before?: number },
): Promise<LoginBlock | null> {
  const now = options.now ?? new Date();
  const byIp = await block(prisma, { ip: options.ip }, MAX_FAILURES_PER_IP, now, options.before);
  if (byIp) return { scope: "address", retryAt: byIp };
  const byUser = await block(
    prisma,
    { username: options.username },
    MAX_FAILURES_PER_USER,
    now,
    options.before,
  );
  return byUser ? { scope: "user", retryAt: byUser } : null;
}

/**
 * Records one login attempt (the audit trail and the rate limit's memory); returns its id. A login
 * records its attempt as failed before the password is checked, so that attempts arriving in
 * parallel count each other, and marks it successful afterwards.
 */
export async function recordLoginAttempt(
  prisma: PrismaClient,
  options: { ip: string; username: string; ok: boolean; now?: Date },
): Promise<number> {
  const now = options.now ?? new Date();
  const { id } = await prisma.loginAttempt.create({
    data: { ip: options.ip.slice(0, 100), username: options.username.slice(0, 100), ok: options.ok, at: now },
    select: { id: true },
  });
  if (options.ok) await forgetOldAttempts(prisma, now);
  return id;
}

/** The attempt recorded before its password was checked turned out right. */
export async function markLoginSucceeded(prisma: PrismaClient, id: number, now = new Date()): Promise<void> {
  await prisma.loginAttempt.update({ where: { id }, data: { ok: true } });
  await forgetOldAttempts(prisma, now);
}

async function forgetOldAttempts(prisma: PrismaClient, now: Date): Promise<void> {
  await prisma.loginAttempt.deleteMany({ where: { at: { lt: new Date(now.getTime() - KEEP_ATTEMPTS_MS) } } });
}

/** The most recent login attempts, newest first (for the account page). */
export async function getRecentLoginAttempts(prisma: PrismaClient, limit = 20) {
  return prisma.loginAttempt.findMany({ orderBy: { at: "desc" }, take: limit });
}
