import type pg from "pg";
import { inTransaction } from "../../db/postgres.ts";
import type { RepeatSnapshot } from "../../ingest/line-key.ts";
import type { PipelineStore, SourceInfo, Unterminated } from "../../ingest/pipeline-store.ts";
import type { OnCommitted } from "../batch-writers.ts";
import type { StoredSource } from "../sources.ts";
import type { StoreHooks } from "../sqlite-batch-store.ts";
import type { BatchWriter } from "../write-batch.ts";
import { PostgresBatchWriter } from "./batch-writer.ts";
import { findOrCreateSources, findUnterminatedPostgres, latestRepeatSnapshotPostgres } from "./sources.ts";

/**
 * The line pipeline's questions on PostgreSQL. What it asks per line is not asked: lines are
 * numbered and told new or known by the database when their batch is written
 * (lib/store/postgres/line-store.ts), so several followers can write at once. What it asks per
 * source is loaded when the sources are opened.
 */
export class PostgresPipelineStore implements PipelineStore {
  private readonly snapshots = new Map<string, RepeatSnapshot | null>();
  private readonly unterminated = new Map<number, Unterminated | undefined>();

  /** `host`: a follower's mail server (its mark is saved with its batches). */
  constructor(
    readonly pool: pg.Pool,
    private readonly host?: string,
  ) {}

  // Provisional: the writer renumbers the lines it stores.
  nextLineId(): number {
    return 1;
  }

  newestStoredSecond(): number {
    return -1;
  }

  isLineStored(): boolean {
    return false;
  }

  async findOrCreateAll(infos: readonly SourceInfo[], now: number): Promise<StoredSource[]> {
    const client = await this.pool.connect();
    try {
      const stored = await inTransaction(client, () => findOrCreateSources(client, infos, now));
      for (const source of stored) {
        if (!this.snapshots.has(source.stream))
          this.snapshots.set(source.stream, await latestRepeatSnapshotPostgres(client, source.stream));
        this.unterminated.set(source.id, await findUnterminatedPostgres(client, source.id));
      }
      return stored;
    } finally {
      client.release();
    }
  }

  latestRepeatSnapshot(stream: string): RepeatSnapshot | null {
    return this.snapshots.get(stream) ?? null;
  }

  findUnterminated(sourceId: number): Unterminated | undefined {
    return this.unterminated.get(sourceId);
  }

  beginIngest(): void {}

  endIngest(): void {}

  writer(onCommitted: OnCommitted, options: { hooks?: StoreHooks }): BatchWriter {
    return new PostgresBatchWriter(this.pool, onCommitted, options.hooks, this.host);
  }
}
