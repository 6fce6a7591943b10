import type pg from "pg";
import type { LineColumns } from "../../core/line-columns.ts";
import { inTransaction } from "../../db/postgres.ts";
import type { OnCommitted } from "../batch-writers.ts";
import { IN_FLIGHT, InFlightGate } from "../in-flight-gate.ts";
import type { StoreHooks } from "../sqlite-batch-store.ts";
import { type BatchWriter, NOTHING_CORRELATED, type WriteBatch } from "../write-batch.ts";
import { writeLinesPostgres } from "./line-store.ts";
import { saveSourceProgress } from "./sources.ts";
import { saveFollowerMark } from "./watermark.ts";

/** Followers say so after each batch with lines: the correlating leader wakes up (lib/ingest/correlation-leader.ts). */
export const LINES_CHANNEL = "spamtrail_lines";

const hex = (keys: Uint8Array, i: number) =>
  Buffer.from(keys.buffer, keys.byteOffset + 12 * i, 12).toString("hex");

/**
 * Writes batches into PostgreSQL, each in one short transaction, in order, while the caller reads
 * on: lines (the database decides which are new, and numbers them), their issues, the sources'
 * positions. Correlation is not written here: the correlating leader reads the stored lines.
 */
export class PostgresBatchWriter implements BatchWriter {
  private chain: Promise<void> = Promise.resolve();
  private readonly gate = new InFlightGate(() => IN_FLIGHT);

  // The follower's mark: the newest log time it has stored (its files are read merged by time).
  private markTs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly pool: pg.Pool,
    private readonly onCommitted: OnCommitted,
    private readonly hooks: StoreHooks = {},
    /** A follower's mail server: its mark is saved with each batch (lib/store/postgres/watermark.ts). */
    private readonly host?: string,
  ) {}

  write(batch: WriteBatch): void {
    // A writer that failed says so first, before any fault of this batch's own.
    const failure = this.gate.failure;
    if (failure) throw failure;
    if (batch.correlation && batch.correlation.outputs.length > 0)
      throw new Error("PostgreSQL's batches carry no correlation: the correlating leader writes it");
    this.gate.enter();
    this.chain = this.chain.then(async () => {
      if (this.gate.failure) return;
      try {
        const known = await this.apply(batch);
        this.gate.leave(() => this.onCommitted(batch.seq, { ...NOTHING_CORRELATED, known }));
      } catch (error) {
        this.gate.fail(error as Error);
      }
    });
  }

  ready(): Promise<void> {
    return this.gate.ready();
  }

  settle(): Promise<void> {
    return this.gate.settle();
  }

  close(): Promise<void> {
    return this.gate.drained();
  }

  /** Writes one batch; returns how many of its lines were stored already (by another follower or run). */
  private async apply(batch: WriteBatch): Promise<number> {
    const client = await this.pool.connect();
    try {
      return await inTransaction(client, async () => {
        let known = 0;
        if (batch.lines && batch.lines.count > 0) {
          const picked = await writeLinesPostgres(client, batch.lines);
          known = batch.lines.count - picked.count;
          const ids = new Map<string, number>();
          for (let i = 0; i < picked.count; i += 1) ids.set(hex(picked.keys, i), picked.firstId + i);
          if (known > 0) countKnown(batch, batch.lines, ids);
          await this.writeIssues(client, batch, ids);
          if (picked.count > 0) {
            this.hooks.onLines?.(picked.count);
            await client.query(`SELECT pg_notify($1, $2)`, [
              LINES_CHANNEL,
              String(picked.firstId + picked.count - 1),
            ]);
          }
        }
        for (const line of batch.replaced) {
          await client.query(`DELETE FROM "LineKey" WHERE "key" = $1`, [Buffer.from(line.key)]);
          await client.query(`DELETE FROM "LineIssue" WHERE "lineId" = $1`, [line.lineId]);
        }
        for (const { id, progress } of batch.sources)
          await saveSourceProgress(client, id, progress, batch.now);
        const newest = batch.lines ? newestTime(batch.lines) : Number.NEGATIVE_INFINITY;
        if (this.host !== undefined && newest > this.markTs) {
          await saveFollowerMark(client, this.host, newest, batch.now);
          this.markTs = newest;
        }
        return known;
      });
    } finally {
      client.release();
    }
  }

  // Issues name lines by the ids the pipeline gave them; the database numbered them anew.
  private async writeIssues(
    client: pg.ClientBase,
    batch: WriteBatch,
    ids: Map<string, number>,
  ): Promise<void> {
    const rows = batch.issues.flatMap((issue) => {
      const id = ids.get(Buffer.from(issue.key).toString("hex"));
      return id === undefined ? [] : [{ ...issue, lineId: id }];
    });
    if (rows.length === 0) return;
    await client.query(
      `INSERT INTO "LineIssue" ("lineId", "sourceId", "reason", "detail", "key")
       SELECT * FROM unnest($1::int[], $2::int[], $3::text[], $4::text[], $5::bytea[])
       ON CONFLICT ("lineId") DO NOTHING`,
      [
        rows.map((r) => r.lineId),
        rows.map((r) => r.sourceId),
        rows.map((r) => r.reason),
        rows.map((r) => r.detail),
        rows.map((r) => Buffer.from(r.key)),
      ],
    );
  }
}

function newestTime(lines: LineColumns): number {
  let newest = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < lines.count; i += 1) {
    const ts = lines.ts[i] as number;
    if (ts > newest) newest = ts;
  }
  return newest;
}

// Lines the pipeline took for new that another writer had stored: counted as known in their sources.
function countKnown(batch: WriteBatch, lines: LineColumns, fresh: Map<string, number>): void {
  const known = new Map<number, number>();
  for (let i = 0; i < lines.count; i += 1) {
    if (fresh.has(hex(lines.keys, i))) continue;
    const source = lines.sourceIds[i] as number;
    known.set(source, (known.get(source) ?? 0) + 1);
  }
  for (const { id, progress } of batch.sources) {
    const n = known.get(id) ?? 0;
    progress.fresh -= n;
    progress.known += n;
  }
}
