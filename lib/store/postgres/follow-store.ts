import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { FOLLOW_STATUS_KEY, type StoredFollowStatus } from "../../core/follow-status.ts";
import { connectPostgres } from "../../db/postgres.ts";
import { CorrelationLeader } from "../../ingest/correlation-leader.ts";
import type { FollowStore, LastRead } from "../../ingest/follow/follow-store.ts";
import type { PeriodicTask } from "../../ingest/follow/periodic.ts";
import type { PruneCounts } from "../retention.ts";
import { PostgresPipelineStore } from "./pipeline-store.ts";
import { PostgresPruner } from "./retention.ts";
import { noteSourceSeenPostgres } from "./sources.ts";
import { epochMs, pgTime } from "./sql.ts";

// Session locks, two keys: this namespace and the mail server's name hashed by PostgreSQL.
const FOLLOWER_LOCK = 0x5370_4648; // "SpFH"
const LOCK_POLL_MS = 1000;

export type PostgresFollowOptions = {
  /** The mail server this follower reads (default: this machine's name). */
  host: string;
  /** Shown to the user (the URL without its password). */
  shown: string;
  /** How often the leader's turn comes (default 1 s), and how often it writes mail in flight as it stands (default 15 s). */
  leaderEveryMs?: number;
  provisionalEveryMs?: number;
  now?: () => number;
  log?: (message: string) => void;
};

/**
 * follow on PostgreSQL, one follower per mail server: a session advisory lock per server's name
 * keeps a second follower of the same server waiting and never blocks another server's. Lines
 * and positions go in short transactions (PostgresBatchWriter); correlation is the leader's
 * (CorrelationLeader): every follower takes a turn each second, and the one holding the
 * leader's lock correlates what all of them stored. Each keeps its heartbeat under its server's name.
 */
export class PostgresFollowStore implements FollowStore {
  readonly pipeline: PostgresPipelineStore;
  readonly db = undefined;
  readonly name: string;
  readonly statusKey: string;
  private leader: CorrelationLeader | undefined;
  private leaderTurn: Promise<void> = Promise.resolve();
  private notes: Promise<void> = Promise.resolve();
  private failure: Error | undefined;
  private localDomains: readonly string[] | undefined;
  private provisionalAt = 0;

  constructor(
    private readonly pool: pg.Pool,
    private readonly options: PostgresFollowOptions,
  ) {
    this.pipeline = new PostgresPipelineStore(pool, options.host);
    this.name = options.shown;
    this.statusKey = `${FOLLOW_STATUS_KEY}:${options.host}`;
  }

  async lock(options: { onWait?: (message: string) => void; signal?: AbortSignal }) {
    const client = await connectPostgres(this.pool, this.options.shown);
    let said = false;
    try {
      for (;;) {
        const { rows } = await client.query<{ ok: boolean }>(
          `SELECT pg_try_advisory_lock($1, hashtext($2)) AS ok`,
          [FOLLOWER_LOCK, this.options.host],
        );
        if (rows[0]?.ok) break;
        if (!said) {
          options.onWait?.(
            `another follower of ${this.options.host} is running (${await this.holder()}); waiting for it to stop`,
          );
          said = true;
        }
        if (options.signal?.aborted) throw new Error("stopped while waiting for the other follower");
        await sleep(LOCK_POLL_MS, undefined, { signal: options.signal }).catch(() => undefined);
        if (options.signal?.aborted) throw new Error("stopped while waiting for the other follower");
      }
    } catch (error) {
      client.release();
      throw error;
    }
    const now = (this.options.now ?? Date.now)();
    await this.writeSetting(
      this.statusKey,
      {
        state: "catching-up",
        pid: process.pid,
        startedAt: now,
        heartbeatAt: now,
        files: 0,
        lines: { read: 0, fresh: 0 },
        host: this.options.host,
        leader: false,
      } satisfies StoredFollowStatus,
      now,
    );
    return async () => {
      await this.leaderTurn.catch(() => undefined);
      await this.leader?.release();
      this.leader = undefined;
      await client
        .query(`SELECT pg_advisory_unlock($1, hashtext($2))`, [FOLLOWER_LOCK, this.options.host])
        .then(
          () => client.release(),
          () => client.release(true),
        );
    };
  }

  private async holder(): Promise<string> {
    const { rows } = await this.pool.query<{ value: string }>(
      `SELECT "value" FROM "Setting" WHERE "key" = $1`,
      [this.statusKey],
    );
    if (!rows[0]) return "no heartbeat yet";
    const status = JSON.parse(rows[0].value) as StoredFollowStatus;
    return `pid ${status.pid}, last heartbeat ${new Date(status.heartbeatAt).toISOString()}`;
  }

  sink(options: { localDomains?: readonly string[] }) {
    this.localDomains = options.localDomains;
    return undefined;
  }

  async lastReadOfStream(stream: string): Promise<LastRead | undefined> {
    const { rows } = await this.pool.query<LastRead>(
      `SELECT "fingerprint", ${epochMs(`coalesce("lastReadAt", "updatedAt")`, "readAt")},
         (SELECT ${epochMs(`max("lastTs")`, "lastTs")} FROM "Source" WHERE "stream" = $1)
       FROM "Source" WHERE "stream" = $1 ORDER BY coalesce("lastReadAt", "updatedAt") DESC LIMIT 1`,
      [stream],
    );
    return rows[0];
  }

  commit(flush: () => void, sizes: ReadonlyMap<number, number>, readAt: number | null): void {
    if (this.failure) throw this.failure;
    flush();
    if (sizes.size === 0) return;
    // The Sources page's health line, after the batch: not part of its transaction.
    const seen = [...sizes];
    this.notes = this.notes
      .then(async () => {
        for (const [id, size] of seen) await noteSourceSeenPostgres(this.pool, id, { size, readAt });
      })
      .catch((error: unknown) => {
        this.failure ??= error as Error;
      });
  }

  async writeSetting(key: string, value: unknown, now: number): Promise<void> {
    await this.pool.query(
      `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ($1, $2, $3)
       ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`,
      [key, JSON.stringify(value), pgTime(now)],
    );
  }

  statusExtra(): Partial<StoredFollowStatus> {
    return { host: this.options.host, leader: this.leader !== undefined };
  }

  tasks(): PeriodicTask[] {
    return [
      {
        name: "correlation",
        everyMs: this.options.leaderEveryMs ?? 1000,
        firstAfterMs: 0,
        run: () => this.turn(false),
      },
    ];
  }

  /**
   * Retention, by the correlating leader only (one process prunes at a time; the others' calls
   * return undefined): each step a transaction on the leader's connection, between its turns.
   */
  prune = async (cutoff: number, options: { now: () => number }): Promise<PruneCounts | undefined> => {
    const pruner = new PostgresPruner(cutoff, () => this.leader?.position ?? 0, { now: options.now });
    for (let first = true; ; first = false) {
      let leading = false;
      let more = false;
      let failure: unknown;
      this.leaderTurn = this.leaderTurn.then(async () => {
        if (!this.leader) return;
        leading = true;
        try {
          more = await this.leader.prune(pruner);
        } catch (error) {
          // As a failed turn: the connection may be gone; the next turn leads afresh.
          failure = error;
          await this.leader.release();
          this.leader = undefined;
        }
      });
      await this.leaderTurn;
      if (failure) throw failure;
      if (!leading) return first ? undefined : pruner.counts;
      if (!more) return pruner.counts;
    }
  };

  /** The leader's last turn: what this follower stored is correlated before it stops, if it leads. */
  async close(): Promise<void> {
    await this.notes;
    await this.turn(true);
    await this.leader?.release();
    this.leader = undefined;
  }

  // One turn: become the leader if none is, then correlate what every follower stored.
  private turn(final: boolean): Promise<void> {
    this.leaderTurn = this.leaderTurn.then(async () => {
      const now = (this.options.now ?? Date.now)();
      try {
        if (!this.leader) {
          this.leader = await CorrelationLeader.tryLead(this.pool, {
            localDomains: this.localDomains,
            live: true,
            shown: this.options.shown,
          });
          if (this.leader) this.options.log?.("correlating: this follower leads (the others store lines)");
        }
        if (!this.leader) return;
        const provisional = final || now - this.provisionalAt >= (this.options.provisionalEveryMs ?? 15_000);
        await this.leader.catchUp(provisional);
        if (provisional) this.provisionalAt = now;
      } catch (error) {
        this.options.log?.(
          `correlation stopped: ${(error as Error).message}; the next turn starts again from what is committed`,
        );
        await this.leader?.release();
        this.leader = undefined;
      }
    });
    return this.leaderTurn;
  }
}
