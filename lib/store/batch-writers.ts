import { Worker } from "node:worker_threads";
import type { Db } from "../db/connection.ts";
import { IN_FLIGHT, InFlightGate } from "./in-flight-gate.ts";
import { SqliteBatchStore, type StoreHooks } from "./sqlite-batch-store.ts";
import type {
  BatchResult,
  BatchWriter,
  WriteBatch,
  WriteThreadData,
  WriteThreadReply,
} from "./write-batch.ts";

/** Called once a batch is committed, in order. */
export type OnCommitted = (seq: number, result: BatchResult) => void;

/** Writes each batch at once, on this thread (follow, small ingests, tests). */
export class InThreadWriter implements BatchWriter {
  private readonly store: SqliteBatchStore;

  constructor(
    db: Db,
    private readonly onCommitted: OnCommitted,
    hooks: StoreHooks = {},
  ) {
    this.store = new SqliteBatchStore(db, hooks);
  }

  write(batch: WriteBatch): void {
    this.onCommitted(batch.seq, this.store.apply(batch));
  }

  ready(): Promise<void> {
    return Promise.resolve();
  }

  settle(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

// More batches than IN_FLIGHT while the write thread is still loading its modules (~0.7 s), so
// that reading and correlating go on meanwhile instead of waiting for it.
const IN_FLIGHT_WHILE_LOADING = 8;
const WRITE_THREAD_YOUNG_MB = 12;

/**
 * Writes batches on a worker thread with its own connection to the database file, so that reading
 * and correlating (this thread) and SQLite (the worker) use both cores. Batches are handed over
 * without a copy per line (their typed arrays are transferred).
 */
export class WorkerWriter implements BatchWriter {
  private readonly worker: Worker;
  private loaded = false;
  // Counts batches until written: the write thread commits several at once (lib/store/write-worker.ts).
  private readonly gate = new InFlightGate(() => (this.loaded ? IN_FLIGHT : IN_FLIGHT_WHILE_LOADING));
  private handedOver = 0;
  private committed = 0;

  constructor(
    file: string,
    private readonly onCommitted: OnCommitted,
    /** false: a first import's, which does not wait for the disk (lib/db/first-import.ts). */
    { synced }: { synced: boolean },
  ) {
    this.worker = new Worker(new URL("./write-worker.mjs", import.meta.url), {
      workerData: { file, synced } satisfies WriteThreadData,
      // Each batch's clone dies once written: a small young generation collects it sooner (the
      // write thread has time to spare), keeping the process's peak memory lower (its heap 63 -> 48 MiB).
      resourceLimits: { maxYoungGenerationSizeMb: WRITE_THREAD_YOUNG_MB },
    });
    this.worker.on("message", (reply: WriteThreadReply) => {
      if (this.gate.failure) return;
      this.loaded = true;
      if ("error" in reply) this.gate.fail(Object.assign(new Error(reply.error), { stack: reply.stack }));
      else if ("written" in reply) this.gate.leave();
      else {
        for (const { seq, result } of reply.committed) this.onCommitted(seq, result);
        this.committed += reply.committed.length;
        this.gate.changed();
      }
    });
    this.worker.on("error", (error) => this.gate.fail(error));
    this.worker.on("exit", (code) => {
      if (this.gate.inFlight > 0 || this.committed < this.handedOver)
        this.gate.fail(new Error(`the write thread stopped (exit code ${code})`));
    });
  }

  write(batch: WriteBatch): void {
    this.gate.enter();
    this.handedOver += 1;
    const transfer = batch.lines
      ? [
          batch.lines.sourceIds.buffer,
          batch.lines.lineNos.buffer,
          batch.lines.byteOffsets.buffer,
          batch.lines.ts.buffer,
          batch.lines.events.buffer,
          batch.lines.keys.buffer,
          batch.lines.seconds.buffer,
          batch.lines.text.buffer,
          batch.lines.textEnds.buffer,
        ]
      : [];
    // A structured clone of the correlator's outputs costs this thread (the busier one) half what
    // JSON.stringify and posting the string did, and the write thread no more than JSON.parse.
    this.worker.postMessage(batch, transfer as ArrayBuffer[]);
  }

  ready(): Promise<void> {
    return this.gate.ready();
  }

  /** Every batch handed over written, then committed: the write thread is asked not to wait for more. */
  async settle(): Promise<void> {
    await this.gate.settle();
    if (this.committed === this.handedOver) return;
    this.worker.postMessage("commit");
    await this.gate.until(() => this.committed === this.handedOver);
  }

  /** Lets the write thread close its connection and end (after the batches handed over). */
  async close(): Promise<void> {
    await this.gate.drained();
    if (this.gate.failure) {
      await this.worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage(null);
    await exited;
  }
}
