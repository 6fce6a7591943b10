// The heartbeat `spamtrail follow` keeps in the Setting table for the dashboard's Sources page.
export const FOLLOW_STATUS_KEY = "follow.status";

/** How often follow writes it. */
export const FOLLOW_STATUS_EVERY_MS = 30_000;

export type StoredFollowStatus = {
  /** "catching-up": a PostgreSQL follower reading its backlog (the correlating leader waits for it). */
  state: "catching-up" | "running" | "stopped";
  pid: number;
  startedAt: number;
  heartbeatAt: number;
  files: number;
  lines: { read: number; fresh: number };
  /** PostgreSQL: the mail server this follower reads (one heartbeat each), and whether it correlates. */
  host?: string;
  leader?: boolean;
};

/** The last retention run of follow (Setting key RETENTION_KEY). */
export const RETENTION_KEY = "retention";

export type StoredRetention = { days: number; lastRunAt: number; deleted: Record<string, number> };
