// What the line pipeline asks of the database it writes into, so that one pipeline serves SQLite
// (lib/store/sqlite-pipeline-store.ts) and PostgreSQL (lib/store/postgres/pipeline-store.ts).
// Questions asked per line are synchronous: a store that cannot answer at once (PostgreSQL) loads
// the answers when sources are opened (findOrCreate*), or lets the database decide at write time.

import type { OnCommitted } from "../store/batch-writers.ts";
import type { SourceInfo, StoredSource } from "../store/sources.ts";
import type { StoreHooks } from "../store/sqlite-batch-store.ts";
import type { BatchWriter } from "../store/write-batch.ts";
import type { RepeatSnapshot } from "./line-key.ts";

export type { SourceInfo };

export type Unterminated = { lineId: number; key: Uint8Array; byteOffset: number };

export interface PipelineStore {
  /** The id the next line gets; a store that numbers lines when it writes them (PostgreSQL) renumbers. */
  nextLineId(): number;
  /** The second of the newest line key stored, or -1 when lines are never looked up one by one. */
  newestStoredSecond(): number;
  /** True when a line with this key is stored. */
  isLineStored(key: Uint8Array): boolean;
  /** Finds or registers the sources of files (by their first line), noting where they are now. */
  findOrCreateAll(infos: readonly SourceInfo[], now: number): Promise<StoredSource[]>;
  /** Repeat counts saved by the stream's most recent source (for a source found by findOrCreateAll). */
  latestRepeatSnapshot(stream: string): RepeatSnapshot | null;
  /** The unterminated last line an earlier run stored from a source (found by findOrCreateAll). */
  findUnterminated(sourceId: number): Unterminated | undefined;
  /** Before a batch ingest (SQLite defers its dashboard's indexes for a first big import) and after it. */
  beginIngest(writeThread: "main" | "worker", now: number): void;
  endIngest(): void;
  /** The writer of the batches. */
  writer(
    onCommitted: OnCommitted,
    options: { writeThread?: "main" | "worker"; hooks?: StoreHooks },
  ): BatchWriter;
}
