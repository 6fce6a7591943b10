import type { PrismaClient } from "../../generated/prisma/client.ts";
import { burnVerification, verifyPassword } from "./password.ts";
import { type LoginBlock, loginBlocked, markLoginSucceeded, recordLoginAttempt } from "./rate-limit.ts";
import { createSession, deleteExpiredSessions, type Session } from "./sessions.ts";

export type LoginResult =
  | { ok: true; token: string; session: Session }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "rate-limited"; block: LoginBlock };

/**
 * One sign-in attempt: recorded first (as a failure until the password proves right), then refused
 * without checking the password while the address (or the user name) has too many failures recorded
 * before it; otherwise verified, and a session started. Counting before the slow hash means that
 * attempts sent in parallel count each other.
 */
export async function attemptLogin(
  prisma: PrismaClient,
  options: { username: string; password: string; ip: string; userAgent?: string | null; now?: Date },
): Promise<LoginResult> {
  const now = options.now ?? new Date();
  const username = options.username.trim().slice(0, 100);
  const attempt = await recordLoginAttempt(prisma, { ip: options.ip, username, ok: false, now });
  const blocked = await loginBlocked(prisma, { ip: options.ip, username, now, before: attempt });
  if (blocked) return { ok: false, reason: "rate-limited", block: blocked };
  const user = await prisma.adminUser.findUnique({ where: { username } });
  const ok = user ? await verifyPassword(options.password, user.passwordHash) : false;
  if (!user) await burnVerification(options.password);
  if (!ok || !user) return { ok: false, reason: "invalid" };
  await markLoginSucceeded(prisma, attempt, now);
  await deleteExpiredSessions(prisma, now);
  const { token, session } = await createSession(prisma, {
    userId: user.id,
    ip: options.ip,
    userAgent: options.userAgent ?? null,
    now,
  });
  return { ok: true, token, session };
}
