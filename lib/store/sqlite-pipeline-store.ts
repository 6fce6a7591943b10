import type { Db } from "../db/connection.ts";
import { deferIndexes, restoreIndexes } from "../db/deferred-indexes.ts";
import { beginFirstImport, endFirstImport, resumeInterruptedImport } from "../db/first-import.ts";
import type { RepeatSnapshot } from "../ingest/line-key.ts";
import type { PipelineStore, SourceInfo, Unterminated } from "../ingest/pipeline-store.ts";
import { InThreadWriter, type OnCommitted, WorkerWriter } from "./batch-writers.ts";
import { findUnterminated, isLineStored, newestStoredSecond, nextLineId } from "./line-store.ts";
import {
  createSource,
  findSource,
  latestRepeatSnapshots,
  type StoredSource,
  touchSource,
} from "./sources.ts";
import type { StoreHooks } from "./sqlite-batch-store.ts";
import type { BatchWriter } from "./write-batch.ts";

/** The line pipeline's questions answered by a SQLite database (at once: it is on this machine). */
export class SqlitePipelineStore implements PipelineStore {
  private repeatSnapshots: Map<string, RepeatSnapshot> | undefined;
  // A first import into an empty database (lib/db/first-import.ts): its write thread does not wait for the disk.
  private firstImport = false;
  // Any other import on a write thread: the search triggers are dropped while it writes the words itself.
  private triggersHeld = false;

  constructor(readonly db: Db) {}

  nextLineId(): number {
    return nextLineId(this.db);
  }

  newestStoredSecond(): number {
    return newestStoredSecond(this.db);
  }

  isLineStored(key: Uint8Array): boolean {
    return isLineStored(this.db, key);
  }

  /** Finds or registers one source (follow, as files appear). */
  findOrCreate(info: SourceInfo, now: number): StoredSource {
    const seen = { path: info.path, compressed: info.compressed, inode: info.inode, size: info.size, now };
    const stored = findSource(this.db, info.fingerprint);
    if (stored) {
      touchSource(this.db, stored.id, seen);
      return stored;
    }
    return createSource(this.db, { ...info, ...seen });
  }

  // DSPAM keeps a log per user: hundreds of files, registered in one transaction.
  findOrCreateAll(infos: readonly SourceInfo[], now: number): Promise<StoredSource[]> {
    return Promise.resolve(this.db.transaction(() => infos.map((info) => this.findOrCreate(info, now)))());
  }

  // Every stream's at once, when the first new file of a stream is opened.
  latestRepeatSnapshot(stream: string): RepeatSnapshot | null {
    this.repeatSnapshots ??= latestRepeatSnapshots(this.db);
    return this.repeatSnapshots.get(stream) ?? null;
  }

  findUnterminated(sourceId: number): Unterminated | undefined {
    return findUnterminated(this.db, sourceId);
  }

  beginIngest(writeThread: "main" | "worker", now: number): void {
    resumeInterruptedImport(this.db);
    if (writeThread !== "worker") return;
    this.firstImport = isEmpty(this.db) && beginFirstImport(this.db, now);
    this.triggersHeld =
      !this.firstImport && deferIndexes(this.db, now, { indexes: false, unsynced: false, wordsBy: "import" });
  }

  endIngest(): void {
    if (this.firstImport) endFirstImport(this.db);
    else if (this.triggersHeld) restoreIndexes(this.db);
    this.firstImport = false;
    this.triggersHeld = false;
  }

  writer(
    onCommitted: OnCommitted,
    options: { writeThread?: "main" | "worker"; hooks?: StoreHooks },
  ): BatchWriter {
    return options.writeThread === "worker"
      ? new WorkerWriter(this.db.name, onCommitted, { synced: !this.firstImport })
      : new InThreadWriter(this.db, onCommitted, options.hooks);
  }
}

/** No line and no journey stored yet: a first import. */
function isEmpty(db: Db): boolean {
  return (
    !db.prepare(`SELECT 1 FROM LineKey LIMIT 1`).get() && !db.prepare(`SELECT 1 FROM Journey LIMIT 1`).get()
  );
}
