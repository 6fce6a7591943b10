import type pg from "pg";
import {
  FOLLOW_MARK_KEY,
  FOLLOW_STATUS_EVERY_MS,
  FOLLOW_STATUS_KEY,
  type StoredFollowStatus,
} from "../../core/follow-status.ts";

/**
 * A follower that is not live (catching up, stopped, killed, cut off) holds the others' lines
 * back at most this long after its last sign of life (a heartbeat or a batch of lines): a restart
 * or a short outage keeps the servers' lines in time order; a server gone for longer no longer
 * stops correlation, and its backlog is correlated when it comes, after newer lines of the others.
 */
export const HOLD_MS = 10 * 60_000;
// A live follower stores a line within a second or two of its being logged: lines older than
// this are all stored (clocks of two servers differ by a few seconds at most).
export const LIVE_SLACK_MS = 10_000;
// As the Sources page (lib/queries/follow-status.ts): three missed heartbeats and it is not live.
const SILENT_AFTER_MS = 3 * FOLLOW_STATUS_EVERY_MS;

export type FollowerMark = { status?: StoredFollowStatus; mark?: { ts: number; at: number } };

/**
 * The log time up to which every follower's lines are stored, as far as correlation waits for
 * them: the lowest of each follower's mark (a live follower's is at least `now` less a few
 * seconds), leaving out those silent for longer than HOLD_MS. Infinity when none holds back.
 */
export function watermark(followers: Iterable<FollowerMark>, now: number): number {
  let lowest = Number.POSITIVE_INFINITY;
  for (const { status, mark } of followers) {
    const stored = mark?.ts ?? Number.NEGATIVE_INFINITY;
    const live = status?.state === "running" && now - status.heartbeatAt < SILENT_AFTER_MS;
    if (live) {
      lowest = Math.min(lowest, Math.max(stored, now - LIVE_SLACK_MS));
      continue;
    }
    const lastSign = Math.max(
      status?.heartbeatAt ?? Number.NEGATIVE_INFINITY,
      mark?.at ?? Number.NEGATIVE_INFINITY,
    );
    if (now - lastSign < HOLD_MS) lowest = Math.min(lowest, stored);
  }
  return lowest;
}

/** The followers' heartbeats and marks, by mail server. */
export async function followerMarks(db: pg.Pool | pg.ClientBase): Promise<FollowerMark[]> {
  const { rows } = await db.query<{ key: string; value: string }>(
    `SELECT "key", "value" FROM "Setting" WHERE "key" LIKE $1 OR "key" LIKE $2`,
    [`${FOLLOW_STATUS_KEY}:%`, `${FOLLOW_MARK_KEY}:%`],
  );
  const byHost = new Map<string, FollowerMark>();
  const of = (host: string) => {
    const found = byHost.get(host) ?? {};
    byHost.set(host, found);
    return found;
  };
  for (const row of rows) {
    if (row.key.startsWith(`${FOLLOW_MARK_KEY}:`))
      of(row.key.slice(FOLLOW_MARK_KEY.length + 1)).mark = JSON.parse(row.value) as {
        ts: number;
        at: number;
      };
    else of(row.key.slice(FOLLOW_STATUS_KEY.length + 1)).status = JSON.parse(row.value) as StoredFollowStatus;
  }
  return [...byHost.values()];
}

/** Saves a follower's mark (in its batch's transaction): every line of its server up to `ts` is stored. */
export async function saveFollowerMark(
  client: pg.ClientBase,
  host: string,
  ts: number,
  at: number,
): Promise<void> {
  await client.query(
    `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ($1, $2, $3)
     ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`,
    [`${FOLLOW_MARK_KEY}:${host}`, JSON.stringify({ ts, at }), new Date(at).toISOString()],
  );
}
