import type { PrismaClient } from "../../generated/prisma/client.ts";
import {
  FOLLOW_STATUS_EVERY_MS,
  FOLLOW_STATUS_KEY,
  RETENTION_KEY,
  type StoredFollowStatus,
  type StoredRetention,
} from "../core/follow-status.ts";
import { getPrisma } from "../db/prisma.ts";

/** What `spamtrail follow` last said about itself (its heartbeat, written every 30 s). */
export type FollowStatus =
  | { state: "never" }
  | {
      /** "silent": it says it runs, but its heartbeat stopped (killed, crashed, or the machine stopped). */
      state: "running" | "stopped" | "silent";
      pid: number;
      startedAt: Date;
      heartbeatAt: Date;
      files: number;
      linesRead: number;
      linesNew: number;
    };

// Three missed heartbeats.
const SILENT_AFTER_MS = 3 * FOLLOW_STATUS_EVERY_MS;

/** PostgreSQL: one follower per mail server, each with its heartbeat. */
export type HostFollowStatus = Exclude<FollowStatus, { state: "never" }> & {
  host: string;
  /** Reading its backlog (the correlating leader waits for it). */
  catchingUp: boolean;
  /** It correlates what every follower stores (one at a time). */
  leader: boolean;
};

export type RetentionStatus = { days: number; lastRunAt: Date; deleted: number } | null;

/** Follow's heartbeat, and its last pruning run (null when it never pruned). */
export async function getFollowStatus(
  prisma: PrismaClient = getPrisma(),
  now: Date = new Date(),
): Promise<{ follow: FollowStatus; followers: HostFollowStatus[]; retention: RetentionStatus }> {
  const rows = await prisma.setting.findMany({
    where: {
      OR: [
        { key: { in: [FOLLOW_STATUS_KEY, RETENTION_KEY] } },
        { key: { startsWith: `${FOLLOW_STATUS_KEY}:` } },
      ],
    },
  });
  const followers = rows
    .filter((row) => row.key.startsWith(`${FOLLOW_STATUS_KEY}:`))
    .flatMap((row) => {
      const stored = parse<StoredFollowStatus>(row.value);
      if (!stored) return [];
      const status = toFollowStatus(stored, now);
      return [
        {
          ...status,
          host: stored.host ?? row.key.slice(FOLLOW_STATUS_KEY.length + 1),
          catchingUp: status.state === "running" && stored.state === "catching-up",
          leader: status.state === "running" && stored.leader === true,
        },
      ];
    })
    .sort((a, b) => (a.host < b.host ? -1 : a.host > b.host ? 1 : 0));
  const stored = parse<StoredFollowStatus>(rows.find((row) => row.key === FOLLOW_STATUS_KEY)?.value);
  const pruned = parse<StoredRetention>(rows.find((row) => row.key === RETENTION_KEY)?.value);
  const retention = pruned
    ? {
        days: pruned.days,
        lastRunAt: new Date(pruned.lastRunAt),
        deleted: Object.values(pruned.deleted).reduce((sum, n) => sum + n, 0),
      }
    : null;
  if (stored) return { follow: toFollowStatus(stored, now), followers, retention };
  // On PostgreSQL: the freshest follower speaks for the database.
  const freshest = [...followers].sort((a, b) => b.heartbeatAt.getTime() - a.heartbeatAt.getTime())[0];
  return { follow: freshest ?? { state: "never" }, followers, retention };
}

function toFollowStatus(
  stored: StoredFollowStatus,
  now: Date,
): FollowStatus & { state: "running" | "stopped" | "silent" } {
  const running = stored.state !== "stopped";
  const silent = running && now.getTime() - stored.heartbeatAt > SILENT_AFTER_MS;
  return {
    state: silent ? "silent" : running ? "running" : "stopped",
    pid: stored.pid,
    startedAt: new Date(stored.startedAt),
    heartbeatAt: new Date(stored.heartbeatAt),
    files: stored.files,
    linesRead: stored.lines.read,
    linesNew: stored.lines.fresh,
  };
}

function parse<T>(value: string | undefined): T | null {
  if (value === undefined) return null;
  try {
    return JSON.parse(value) as T;
  } catch {
    return null;
  }
}
