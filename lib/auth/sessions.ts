import type { PrismaClient } from "../../generated/prisma/client.ts";
import { isTokenShaped, randomToken, sha256Hex } from "./tokens.ts";

/** Name of the session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS). */
export const SESSION_COOKIE = "spamtrail_session";
/** A login lasts this long, then the administrator signs in again. */
export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
// lastSeenAt is written at most this often, so browsing does not write on every request.
const TOUCH_EVERY_MS = 60 * 1000;

export type Session = {
  id: string;
  userId: number;
  username: string;
  csrfToken: string;
  expiresAt: Date;
};

/** Starts a session; returns the token for the cookie (the database keeps only its sha256). */
export async function createSession(
  prisma: PrismaClient,
  options: { userId: number; ip?: string | null; userAgent?: string | null; now?: Date },
): Promise<{ token: string; session: Session }> {
  const now = options.now ?? new Date();
  const token = randomToken();
  const row = await prisma.authSession.create({
    data: {
      id: sha256Hex(token),
      userId: options.userId,
      csrfToken: randomToken(),
      createdAt: now,
      lastSeenAt: now,
      expiresAt: new Date(now.getTime() + SESSION_TTL_MS),
      ip: options.ip?.slice(0, 100) ?? null,
      userAgent: options.userAgent?.slice(0, 300) ?? null,
    },
    include: { user: { select: { username: true } } },
  });
  return {
    token,
    session: {
      id: row.id,
      userId: row.userId,
      username: row.user.username,
      csrfToken: row.csrfToken,
      expiresAt: row.expiresAt,
    },
  };
}

/** The live session a cookie token names, or null (unknown, malformed or expired). */
export async function findSession(
  prisma: PrismaClient,
  token: string | undefined | null,
  now: Date = new Date(),
): Promise<Session | null> {
  if (!isTokenShaped(token)) return null;
  const row = await prisma.authSession.findUnique({
    where: { id: sha256Hex(token) },
    include: { user: { select: { username: true } } },
  });
  if (!row || row.expiresAt.getTime() <= now.getTime()) return null;
  if (now.getTime() - row.lastSeenAt.getTime() > TOUCH_EVERY_MS) {
    await prisma.authSession.update({ where: { id: row.id }, data: { lastSeenAt: now } });
  }
  return {
    id: row.id,
    userId: row.userId,
    username: row.user.username,
    csrfToken: row.csrfToken,
    expiresAt: row.expiresAt,
  };
}

/** Ends the session a cookie token names (logout); unknown tokens are ignored. */
export async function deleteSession(prisma: PrismaClient, token: string | undefined | null): Promise<void> {
  if (!isTokenShaped(token)) return;
  await prisma.authSession.deleteMany({ where: { id: sha256Hex(token) } });
}

/** Forgets expired sessions (called on each login, so the table stays small). */
export async function deleteExpiredSessions(prisma: PrismaClient, now: Date = new Date()): Promise<number> {
  const { count } = await prisma.authSession.deleteMany({ where: { expiresAt: { lte: now } } });
  return count;
}
