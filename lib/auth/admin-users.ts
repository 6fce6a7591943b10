import type { PrismaClient } from "../../generated/prisma/client.ts";
import { hashPassword, passwordProblem, verifyPassword } from "./password.ts";

/** The account `admin set-password` and SPAMTRAIL_ADMIN_PASSWORD set when no name is given. */
export const DEFAULT_ADMIN = "admin";

/** An expected refusal (bad user name or password): its message is shown as is. */
export class AdminAccountError extends Error {
  override name = "AdminAccountError";
}

/** Why a user name is refused, or null. */
export function usernameProblem(username: string): string | null {
  return /^[A-Za-z0-9._@-]{1,64}$/.test(username)
    ? null
    : "user names are 1-64 letters, digits, dots, dashes, underscores or @";
}

/**
 * Creates the administrator or changes their password (scrypt hash), and ends their sessions so
 * that every browser signs in again with the new password.
 */
export async function setAdminPassword(
  prisma: PrismaClient,
  options: { username: string; password: string; now?: Date },
): Promise<{ created: boolean }> {
  const badName = usernameProblem(options.username);
  if (badName) throw new AdminAccountError(badName);
  const badPassword = passwordProblem(options.password);
  if (badPassword) throw new AdminAccountError(`the password ${badPassword}`);
  const now = options.now ?? new Date();
  const passwordHash = await hashPassword(options.password);
  const existing = await prisma.adminUser.findUnique({ where: { username: options.username } });
  if (existing) {
    await prisma.$transaction([
      prisma.adminUser.update({ where: { id: existing.id }, data: { passwordHash, updatedAt: now } }),
      prisma.authSession.deleteMany({ where: { userId: existing.id } }),
    ]);
    return { created: false };
  }
  await prisma.adminUser.create({
    data: { username: options.username, passwordHash, createdAt: now, updatedAt: now },
  });
  return { created: true };
}

/**
 * Applies SPAMTRAIL_ADMIN_PASSWORD (for SPAMTRAIL_ADMIN_USER, default admin) at server start. A
 * password that already matches changes nothing, so restarts do not sign anybody out.
 */
export async function applyAdminPasswordFromEnv(
  prisma: PrismaClient,
  env: Record<string, string | undefined> = process.env,
): Promise<"unset" | "unchanged" | "created" | "changed"> {
  const password = env.SPAMTRAIL_ADMIN_PASSWORD;
  if (password === undefined || password === "") return "unset";
  const username = env.SPAMTRAIL_ADMIN_USER || DEFAULT_ADMIN;
  const existing = await prisma.adminUser.findUnique({ where: { username } });
  if (existing && (await verifyPassword(password, existing.passwordHash))) return "unchanged";
  const { created } = await setAdminPassword(prisma, { username, password });
  return created ? "created" : "changed";
}

/** True when at least one administrator can sign in (the login page explains how to create one otherwise). */
export async function hasAdmin(prisma: PrismaClient): Promise<boolean> {
  return (await prisma.adminUser.count()) > 0;
}
