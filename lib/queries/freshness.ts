import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { type FollowStatus, getFollowStatus } from "./follow-status.ts";

/** A database whose newest line is older than this is not current (mail servers log every few minutes). */
export const STALE_AFTER_MS = 60 * 60 * 1000;

/** Is the data current? The newest stored log line and what `spamtrail follow` says of itself. */
export type Freshness = {
  /** The time of the newest log line stored (any file), null when nothing was ingested. */
  newestLine: Date | null;
  follow: FollowStatus;
  /** Why the data may not be current, in a sentence; null when it is. */
  warning: string | null;
};

const DAY = 24 * 60 * 60 * 1000;

/** "14 days", "3 hours", "45 minutes": how long ago, for people. */
export function describeAge(ms: number): string {
  const plural = (n: number, unit: string) => `${n} ${unit}${n === 1 ? "" : "s"}`;
  if (ms >= 2 * DAY) return plural(Math.floor(ms / DAY), "day");
  if (ms >= 2 * 60 * 60 * 1000) return plural(Math.floor(ms / 3_600_000), "hour");
  return plural(Math.max(1, Math.floor(ms / 60_000)), "minute");
}

/** The warning a page shows for this state, or null when the data is current. */
export function freshnessWarning(newestLine: Date | null, follow: FollowStatus, now: Date): string | null {
  const followSays =
    follow.state === "running"
      ? "follow is running but reads nothing new: is the mail server logging to the files it follows?"
      : follow.state === "silent"
        ? `follow is not responding (its last heartbeat was ${describeAge(now.getTime() - follow.heartbeatAt.getTime())} ago)`
        : "follow is not running";
  if (newestLine === null) return null;
  const age = now.getTime() - newestLine.getTime();
  if (age > STALE_AFTER_MS) return `No log lines for ${describeAge(age)}: ${followSays}`;
  if (follow.state === "silent") return `The data may stop here: ${followSays}`;
  return null;
}

/** Whether the dashboard's data is current: every page shows it. */
export async function getFreshness(prisma: PrismaClient = getPrisma(), now = new Date()): Promise<Freshness> {
  // Source.lastTs is each file's newest line: a small table, unlike Line.
  const [newest, { follow }] = await Promise.all([
    prisma.source.aggregate({ _max: { lastTs: true } }),
    getFollowStatus(prisma, now),
  ]);
  const newestLine = newest._max.lastTs ?? null;
  return { newestLine, follow, warning: freshnessWarning(newestLine, follow, now) };
}
