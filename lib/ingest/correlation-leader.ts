import type pg from "pg";
import { connectPostgres, inTransaction } from "../db/postgres.ts";
import {
  followersCatchingUp,
  loadCorrelation,
  type PendingLine,
  PostgresCorrelationStore,
  readLinesAfter,
  releaseLeaderLock,
  tryLeaderLock,
} from "../store/postgres/correlation-store.ts";
import type { PostgresPruner } from "../store/postgres/retention.ts";
import { type CorrelationSink, type CorrelationSinkOptions, correlationSink } from "./correlate-sink.ts";
import { storedLine } from "./stored-line.ts";

const DEFAULT_BATCH_LINES = 10_000;
// Lines read, put in time order and committed together at most: a follower's backlog is merged
// with the others' in windows this long.
const WINDOW_LINES = 200_000;

export type LeaderOptions = CorrelationSinkOptions & {
  batchLines?: number;
  now?: () => number;
  shown?: string;
};

/**
 * PostgreSQL's correlating leader. Followers only store lines; the process holding the leader's
 * advisory lock feeds every stored line not correlated yet to the correlator, in line id order,
 * and writes what it makes of them together with its state and position in one transaction: a
 * leader killed at any point leaves the last committed state, and the next one (another
 * follower, or itself restarted) takes over from there. Its connection holds the lock and runs
 * its transactions, so a leader whose connection is lost can write nothing more.
 */
export class CorrelationLeader {
  private readonly sink: CorrelationSink;
  private readonly store = new PostgresCorrelationStore();
  private readonly now: () => number;
  private sinceProvisional = true;

  private constructor(
    private readonly client: pg.PoolClient,
    private through: number,
    snapshot: Awaited<ReturnType<typeof loadCorrelation>>["snapshot"],
    private readonly options: LeaderOptions,
  ) {
    this.sink = correlationSink(snapshot, options);
    this.now = options.now ?? Date.now;
  }

  /** Becomes the leader if no other process is; undefined when one is. */
  static async tryLead(pool: pg.Pool, options: LeaderOptions = {}): Promise<CorrelationLeader | undefined> {
    const client = await connectPostgres(pool, options.shown ?? "the database");
    try {
      if (!(await tryLeaderLock(client))) {
        client.release();
        return undefined;
      }
      const { snapshot, through } = await loadCorrelation(client);
      return new CorrelationLeader(client, through, snapshot, options);
    } catch (error) {
      client.release(true);
      throw error;
    }
  }

  get totals() {
    return this.sink.totals;
  }

  /** The last line id correlated. */
  get position(): number {
    return this.through;
  }

  /**
   * Correlates every line stored so far; with `provisional`, then writes the mail still in flight
   * as it stands (and the findings about the whole server), if lines came since the last time.
   * Returns the number of lines correlated. A failure leaves this leader unusable: release it.
   */
  async catchUp(provisional: boolean): Promise<number> {
    let consumed = 0;
    for (;;) {
      if (await followersCatchingUp(this.client, this.now())) return consumed;
      const lines = await readLinesAfter(this.client, this.through, WINDOW_LINES);
      if (lines.length === 0) break;
      await this.correlate(lines);
      consumed += lines.length;
      this.sinceProvisional = true;
    }
    if (provisional && this.sinceProvisional) {
      await this.transaction(async () => {
        const batch = this.sink.end();
        const result = await this.store.apply(
          this.client,
          batch,
          { from: this.through, to: this.through },
          this.now(),
        );
        this.sink.committed(result);
      });
      this.sinceProvisional = false;
    }
    return consumed;
  }

  /**
   * Feeds lines to the correlator in time order (followers of different servers store theirs in
   * the order their batches commit; the correlator's clock must not jump back and forth between
   * servers), a batch at a time, and commits them all at once with the new position.
   */
  private async correlate(lines: PendingLine[]): Promise<void> {
    // Not Math.max(...ids): a window holds up to WINDOW_LINES ids, more arguments than a call takes.
    const to = lines.reduce((max, line) => Math.max(line.id, max), this.through);
    const ordered = [...lines].sort((a, b) => (a.ts ?? 0) - (b.ts ?? 0) || a.id - b.id);
    const size = this.options.batchLines ?? DEFAULT_BATCH_LINES;
    await this.transaction(async () => {
      let from = this.through;
      for (let i = 0; i < ordered.length; i += size) {
        for (const line of ordered.slice(i, i + size)) this.sink.line(storedLine(line));
        const result = await this.store.apply(this.client, this.sink.batch(), { from, to }, this.now());
        from = to;
        this.sink.committed(result);
      }
    });
    this.through = to;
  }

  /** Deletes one batch of data older than the pruner's cutoff (retention: the leader's, one process at a time). */
  prune(pruner: PostgresPruner): Promise<boolean> {
    return pruner.step(this.client);
  }

  private async transaction(work: () => Promise<void>): Promise<void> {
    await inTransaction(this.client, work);
  }

  /** Lets another process lead. */
  async release(): Promise<void> {
    this.store.close();
    try {
      await releaseLeaderLock(this.client);
      this.client.release();
    } catch {
      // The connection is gone, and its lock with it.
      this.client.release(true);
    }
  }
}
