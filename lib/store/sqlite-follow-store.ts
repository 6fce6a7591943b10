import type { Db } from "../db/connection.ts";
import { resumeInterruptedImport } from "../db/first-import.ts";
import { waitForWriterLock } from "../db/writer-lock.ts";
import { type CorrelationSinkOptions, correlateSink } from "../ingest/correlate-sink.ts";
import type { FollowStore, LastRead } from "../ingest/follow/follow-store.ts";
import { prune } from "./retention.ts";
import { lastReadOfStream, noteSourceSeen } from "./sources.ts";
import { SqlitePipelineStore } from "./sqlite-pipeline-store.ts";

/** follow on SQLite: one writer at a time (the lock file beside the database), correlation in the writing process. */
export class SqliteFollowStore implements FollowStore {
  readonly pipeline: SqlitePipelineStore;
  readonly name: string;

  constructor(readonly db: Db) {
    this.pipeline = new SqlitePipelineStore(db);
    this.name = db.name;
  }

  async lock(options: { onWait?: (message: string) => void; signal?: AbortSignal }) {
    const release = await waitForWriterLock(this.db.name, "spamtrail follow", options);
    resumeInterruptedImport(this.db);
    return async () => release();
  }

  sink(options: CorrelationSinkOptions) {
    return correlateSink(this.db, options);
  }

  async lastReadOfStream(stream: string): Promise<LastRead | undefined> {
    return lastReadOfStream(this.db, stream);
  }

  commit(flush: () => void, sizes: ReadonlyMap<number, number>, readAt: number | null): void {
    this.db.transaction(() => {
      flush();
      for (const [id, size] of sizes) noteSourceSeen(this.db, id, { size, readAt });
    })();
  }

  async writeSetting(key: string, value: unknown, now: number): Promise<void> {
    this.db
      .prepare(
        `INSERT INTO Setting (key, value, updatedAt) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt`,
      )
      .run(key, JSON.stringify(value), now);
  }

  prune = async (
    cutoff: number,
    options: { now: () => number; runStep: (step: () => boolean) => Promise<boolean> },
  ): Promise<Record<string, number>> => prune(this.db, cutoff, options);
}
