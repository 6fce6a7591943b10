import type pg from "pg";
import { connectPostgres, inTransaction } from "../db/postgres.ts";
import {
  loadCorrelation,
  type PendingLine,
  PostgresCorrelationStore,
  readHeldLines,
  readLinesAfter,
  releaseLeaderLock,
  tryLeaderLock,
} from "../store/postgres/correlation-store.ts";
import type { PostgresPruner } from "../store/postgres/retention.ts";
import { followerMarks, watermark } from "../store/postgres/watermark.ts";
import { type CorrelationSink, type CorrelationSinkOptions, correlationSink } from "./correlate-sink.ts";
import { storedLine } from "./stored-line.ts";

const DEFAULT_BATCH_LINES = 10_000;
// Lines read, put in time order and committed together at most: a follower's backlog is merged
// with the others' in windows this long. Lines waiting for the followers' marks are kept in
// memory up to as many again; beyond, the oldest are correlated without waiting.
const WINDOW_LINES = 200_000;
// Waiting for no marks (spamtrail ingest: one process stored every line, in time order), a window
// of a few batches is enough: memory for 200,000 lines at once buys nothing there.
const UNORDERED_WINDOW_LINES = 4 * DEFAULT_BATCH_LINES;

export type LeaderOptions = CorrelationSinkOptions & {
  batchLines?: number;
  now?: () => number;
  shown?: string;
  /** false: correlate every stored line without waiting for the followers' marks (spamtrail ingest). */
  ordered?: boolean;
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

  // Lines read (every one up to `read`) and not correlated yet: newer than the followers' marks.
  private held: PendingLine[];
  private read: number;

  private constructor(
    private readonly client: pg.PoolClient,
    private through: number,
    private until: number,
    held: PendingLine[],
    snapshot: Awaited<ReturnType<typeof loadCorrelation>>["snapshot"],
    private readonly options: LeaderOptions,
  ) {
    this.sink = correlationSink(snapshot, options);
    this.now = options.now ?? Date.now;
    this.held = held;
    this.read = through;
  }

  /** Becomes the leader if no other process is; undefined when one is. */
  static async tryLead(pool: pg.Pool, options: LeaderOptions = {}): Promise<CorrelationLeader | undefined> {
    const client = await connectPostgres(pool, options.shown ?? "the database");
    try {
      if (!(await tryLeaderLock(client))) {
        client.release();
        return undefined;
      }
      const { snapshot, through, until } = await loadCorrelation(client);
      const held = await readHeldLines(client, through, until);
      return new CorrelationLeader(client, through, until, held, snapshot, options);
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
   * Correlates the lines stored so far, in time order up to the followers' marks (the lowest log
   * time up to which every follower has stored its server's lines, lib/store/postgres/watermark.ts):
   * a server whose follower reads a backlog, or restarts, holds the newer lines of the others back
   * until its own are stored, as one batch ingest of all the files would order them. With
   * `provisional`, then writes the mail still in flight as it stands (and the findings about the
   * whole server), if lines came since the last time. Returns the number of lines correlated.
   * A failure leaves this leader unusable: release it.
   */
  async catchUp(provisional: boolean): Promise<number> {
    let consumed = 0;
    const windowLines = this.options.ordered === false ? UNORDERED_WINDOW_LINES : WINDOW_LINES;
    for (;;) {
      const marks =
        this.options.ordered === false
          ? Number.POSITIVE_INFINITY
          : watermark(await followerMarks(this.client), this.now());
      let until = marks;
      const fresh = await readLinesAfter(this.client, this.read, windowLines);
      // Not Math.max(...ids): a window holds up to WINDOW_LINES ids, more arguments than a call takes.
      this.read = fresh.reduce((max, line) => Math.max(line.id, max), this.read);
      const waiting = [...this.held, ...fresh];
      if (waiting.length - windowLines > 0) {
        // Too many wait: the oldest go on without their marks.
        const times = waiting.map((line) => line.ts ?? 0).sort((a, b) => a - b);
        until = Math.max(until, times[waiting.length - windowLines - 1] as number);
      }
      // Never past the newest line read: a line stored later that is older than what was
      // correlated comes late (a live follower's mark is the present, logs may be older).
      until = Math.max(
        this.until,
        Math.min(
          until,
          waiting.reduce((max, line) => Math.max(line.ts ?? 0, max), 0),
        ),
      );
      const ready = waiting.filter((line) => (line.ts ?? 0) <= until);
      this.held = waiting.filter((line) => (line.ts ?? 0) > until);
      // The position moves with the lines fed (a time alone needs no commit: nothing waited below it).
      if (ready.length > 0) {
        await this.correlate(ready, this.read, until);
        consumed += ready.length;
        this.sinceProvisional = true;
      }
      this.until = until;
      if (fresh.length === 0) break;
    }
    if (provisional && this.sinceProvisional) {
      await this.transaction(async () => {
        const batch = this.sink.end();
        const result = await this.store.apply(
          this.client,
          batch,
          { from: this.through, to: this.through, until: this.until },
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
   * servers), a batch at a time, and commits them all at once with the new position: every line
   * up to `to` whose time is at most `until` has been fed.
   */
  private async correlate(lines: PendingLine[], to: number, until: number): Promise<void> {
    const ordered = [...lines].sort(byTime);
    const size = this.options.batchLines ?? DEFAULT_BATCH_LINES;
    await this.transaction(async () => {
      let from = this.through;
      for (let i = 0; i < ordered.length; i += size) {
        for (const line of ordered.slice(i, i + size)) this.sink.line(storedLine(line));
        const result = await this.store.apply(
          this.client,
          this.sink.batch(),
          { from, to, until },
          this.now(),
        );
        from = to;
        this.sink.committed(result);
      }
    });
    this.through = to;
    this.until = until;
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

const byTime = (a: PendingLine, b: PendingLine) => (a.ts ?? 0) - (b.ts ?? 0) || a.id - b.id;
