import { resolveOutputs } from "../correlate/resolve.ts";
import type { Db } from "../db/connection.ts";
import { importWritesWords, noteWordsDone } from "../db/deferred-indexes.ts";
import { SearchWordsKeeper } from "../db/search-terms.ts";
import { withSpillingSorts } from "../db/spilling-sorts.ts";
import { SqliteCorrelationLookup } from "./correlation-lookup.ts";
import { correlatorStateSaver } from "./correlator-state.ts";
import { Detection } from "./detection.ts";
import { JourneyWriter } from "./journey-writer.ts";
import { LineStore } from "./line-store.ts";
import { SourceProgressWriter } from "./sources.ts";
import {
  type BatchResult,
  type CorrelationBatch,
  NOTHING_CORRELATED,
  resultOf,
  type WriteBatch,
} from "./write-batch.ts";

export type StoreHooks = {
  /** Called inside each transaction that stores lines, after them (tests: a kill -9 while a batch is half written). */
  onLines?: (fresh: number) => void;
};

/** Writes batches into SQLite, each whole or not at all: lines, correlation and findings, source positions. */
export class SqliteBatchStore {
  private readonly lines: LineStore;
  private readonly journeys: JourneyWriter;
  private readonly words: SearchWordsKeeper | undefined;
  private readonly lookup: SqliteCorrelationLookup;
  private readonly sources: SourceProgressWriter;
  private readonly saveState: (correlation: CorrelationBatch, now: number) => void;
  private detection: Detection | undefined;
  private localDomains: readonly string[] = [];
  private now = 0;
  private readonly transaction: (batch: WriteBatch) => BatchResult;

  constructor(
    private readonly db: Db,
    private readonly hooks: StoreHooks = {},
  ) {
    this.lines = new LineStore(db);
    // While a later import on a write thread has the search triggers dropped
    // (lib/db/deferred-indexes.ts), it writes the search words itself: never both (a journey's
    // text indexed twice); a first import's are all written at its end.
    this.words = importWritesWords(db) ? new SearchWordsKeeper(db) : undefined;
    this.journeys = new JourneyWriter(db, this.words);
    this.lookup = new SqliteCorrelationLookup(db);
    this.sources = new SourceProgressWriter(db);
    this.saveState = correlatorStateSaver(db);
    this.transaction = db.transaction((batch: WriteBatch) => this.write(batch));
  }

  /** Writes a batch in a transaction of its own. */
  apply(batch: WriteBatch): BatchResult {
    return this.transaction(batch);
  }

  /**
   * Writes a batch into the open transaction (begun when none is), which commit() ends with the
   * batches after it (lib/store/write-worker.ts). Not a savepoint per batch: those journal every
   * page they change; a batch that fails ends the import, and rollback() takes the group back.
   */
  applyInGroup(batch: WriteBatch): BatchResult {
    if (!this.db.inTransaction) this.db.exec("BEGIN");
    return this.write(batch);
  }

  commit(): void {
    if (this.db.inTransaction) this.db.exec("COMMIT");
  }

  rollback(): void {
    if (this.db.inTransaction) this.db.exec("ROLLBACK");
  }

  /** The import is over, every batch written: the search words of all its journeys, in one transaction with the note that they are there. */
  finish(): void {
    const words = this.words;
    if (!words) return;
    withSpillingSorts(this.db, () => {
      words.finish();
      noteWordsDone(this.db);
    });
  }

  private write(batch: WriteBatch): BatchResult {
    this.now = batch.now;
    if (batch.lines) this.lines.write(batch.lines);
    for (const issue of batch.issues) this.lines.issue(issue);
    for (const line of batch.replaced) this.lines.remove(line);
    if (batch.lines && batch.lines.count > 0) this.hooks.onLines?.(batch.lines.count);
    const result = batch.correlation ? this.correlate(batch.correlation) : NOTHING_CORRELATED;
    for (const { id, progress } of batch.sources) this.sources.save(id, progress, batch.now);
    return result;
  }

  private correlate(correlation: CorrelationBatch): BatchResult {
    this.localDomains = correlation.localDomains;
    // Loaded at the first batch, not before: it reads what earlier runs stored.
    if (!this.detection) {
      this.detection = new Detection(
        this.db,
        () => this.localDomains,
        () => this.now,
      );
      this.detection.redetectIfChanged();
    }
    this.detection.lineEvidence(correlation.lineEvidence);
    const written = resolveOutputs(correlation.outputs, this.lookup, (write) => this.journeys.apply(write));
    // The text of the journeys this batch wrote is indexed in its transaction.
    this.words?.flush();
    this.detection.written(written);
    if (correlation.global) this.detection.recomputeGlobal();
    this.detection.flush();
    this.saveState(correlation, this.now);
    return resultOf(written);
  }
}
