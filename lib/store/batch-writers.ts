import { Worker } from "node:worker_threads";
import type { Db } from "../db/connection.ts";
import { IN_FLIGHT, InFlightGate } from "./in-flight-gate.ts";
import { SqliteBatchStore, type StoreHooks } from "./sqlite-batch-store.ts";
import type { BatchResult, BatchWriter, WriteBatch, WriteThreadData } from "./write-batch.ts";

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

type Reply = { seq: number; result: BatchResult } | { seq: number; error: string; stack?: string };

/**
 * Writes batches on a worker thread with its own connection to the database file, so that reading
 * and correlating (this thread) and SQLite (the worker) use both cores. Batches are handed over
 * without a copy per line (their typed arrays are transferred).
 */
export class WorkerWriter implements BatchWriter {
  private readonly worker: Worker;
  private loaded = false;
  private readonly gate = new InFlightGate(() => (this.loaded ? IN_FLIGHT : IN_FLIGHT_WHILE_LOADING));

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
    this.worker.on("message", (reply: Reply) => {
      if (this.gate.failure) return;
      this.loaded = true;
      if ("error" in reply) this.gate.fail(Object.assign(new Error(reply.error), { stack: reply.stack }));
      else this.gate.leave(() => this.onCommitted(reply.seq, reply.result));
    });
    this.worker.on("error", (error) => this.gate.fail(error));
    this.worker.on("exit", (code) => {
      if (this.gate.inFlight > 0) this.gate.fail(new Error(`the write thread stopped (exit code ${code})`));
    });
  }

  write(batch: WriteBatch): void {
    this.gate.enter();
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

  settle(): Promise<void> {
    return this.gate.settle();
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
