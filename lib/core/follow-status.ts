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

/**
 * PostgreSQL: the log time up to which a follower has stored every line of its server (Setting key
 * `${FOLLOW_MARK_KEY}:<host>`, written with each batch of lines): the correlating leader orders
 * the servers' lines by time up to the lowest mark (lib/store/postgres/watermark.ts).
 */
export const FOLLOW_MARK_KEY = "follow.mark";

/** The last retention run of follow (Setting key RETENTION_KEY). */
export const RETENTION_KEY = "retention";

export type StoredRetention = { days: number; lastRunAt: number; deleted: Record<string, number> };
