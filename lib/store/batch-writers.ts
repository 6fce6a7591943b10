import { Worker } from "node:worker_threads";
import type { Db } from "../db/connection.ts";
import { SqliteBatchStore, type StoreHooks } from "./sqlite-batch-store.ts";
import type { BatchResult, BatchWriter, WriteBatch } from "./write-batch.ts";

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

// Batches handed over before the reader waits: one being written, one ready behind it…
const IN_FLIGHT = 2;
// …and more while the write thread is still loading its modules (~0.7 s), so that reading and
// correlating go on meanwhile instead of waiting for it.
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
  private inFlight = 0;
  private loaded = false;
  private failure: Error | undefined;
  private waiters: (() => void)[] = [];

  constructor(
    file: string,
    private readonly onCommitted: OnCommitted,
  ) {
    this.worker = new Worker(new URL("./write-worker.mjs", import.meta.url), {
      workerData: { file },
      // Each batch's clone dies once written: a small young generation collects it sooner (the
      // write thread has time to spare), keeping the process's peak memory lower (its heap 63 -> 48 MiB).
      resourceLimits: { maxYoungGenerationSizeMb: WRITE_THREAD_YOUNG_MB },
    });
    this.worker.on("message", (reply: Reply) => {
      if (this.failure) return;
      this.loaded = true;
      this.inFlight -= 1;
      if ("error" in reply) this.fail(Object.assign(new Error(reply.error), { stack: reply.stack }));
      else this.onCommitted(reply.seq, reply.result);
      this.wake();
    });
    this.worker.on("error", (error) => this.fail(error));
    this.worker.on("exit", (code) => {
      if (this.inFlight > 0) this.fail(new Error(`the write thread stopped (exit code ${code})`));
    });
  }

  write(batch: WriteBatch): void {
    if (this.failure) throw this.failure;
    this.inFlight += 1;
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
    return this.until(() => this.inFlight < (this.loaded ? IN_FLIGHT : IN_FLIGHT_WHILE_LOADING));
  }

  settle(): Promise<void> {
    return this.until(() => this.inFlight === 0);
  }

  /** Lets the write thread close its connection and end (after the batches handed over). */
  async close(): Promise<void> {
    await this.settle().catch(() => undefined);
    if (this.failure) {
      await this.worker.terminate();
      return;
    }
    const exited = new Promise<void>((resolve) => this.worker.once("exit", () => resolve()));
    this.worker.postMessage(null);
    await exited;
  }

  private until(condition: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.failure) reject(this.failure);
        else if (condition()) resolve();
        else this.waiters.push(check);
      };
      check();
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    this.inFlight = 0;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
