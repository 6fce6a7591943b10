// The write thread: applies the batches it is sent to its own connection, in order, several to a
// transaction, and answers each twice: once written (the reader may hand over the next), once
// committed with what was written; or with the error that rolled its transaction back.
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../db/connection.ts";
import { SqliteBatchStore } from "./sqlite-batch-store.ts";
import type { BatchResult, WriteBatch, WriteThreadData, WriteThreadReply } from "./write-batch.ts";

// Batches per transaction. A batch's rows land all over the indexes keyed in no order (queue ids,
// Message-IDs, journey keys): each commit wrote their changed pages again. Eight batches to a
// commit halved what an import writes (1 M lines: 1.23 GB -> 0.61 GB; a later run of 0.56 M lines
// into as many wrote 0.53 GB instead of 1.14 GB, and 0.55 GB reached the disk instead of 1.84 GB).
// Each batch is let go once written, but the reader keeps the keys of the lines not yet committed
// (lib/ingest/seen-keys.ts), ~1 MiB per batch: 16 or 32 to a commit cut the disk writes further
// (0.50, 0.33 GB) for a peak 15 and 35 MiB higher.
const BATCHES_PER_COMMIT = 8;

const port = parentPort;
if (!port) throw new Error("write-worker.ts runs as a worker thread");
const { file, synced } = workerData as WriteThreadData;
const db = openDatabase(file);
// A first import hands its pages to the system without waiting for the disk (lib/db/first-import.ts).
if (!synced) db.pragma("synchronous = OFF");
// Bulk writes: checkpoint every ~40 MiB of WAL instead of 4 MiB, so that index pages changed by
// every batch reach the database file once per checkpoint, not once per batch; a smaller cache
// than the default keeps memory flat (the OS caches the file as well).
db.pragma("wal_autocheckpoint = 10000");
db.pragma("cache_size = -16384");
const store = new SqliteBatchStore(db);
const post = (reply: WriteThreadReply) => port.postMessage(reply);
let uncommitted: { seq: number; result: BatchResult }[] = [];
let failed = false;

function fail(error: unknown): void {
  failed = true;
  uncommitted = [];
  try {
    store.rollback();
  } catch {
    // SQLite rolled it back itself (a failed COMMIT can).
  }
  post({ error: (error as Error).message, stack: (error as Error).stack });
}

function commit(): void {
  if (failed || uncommitted.length === 0) return;
  try {
    store.commit();
  } catch (error) {
    fail(error);
    return;
  }
  post({ committed: uncommitted });
  uncommitted = [];
}

// A batch; "commit": the reader waits for every batch to be committed; null: the run is over.
port.on("message", (message: WriteBatch | "commit" | null) => {
  if (message === "commit") {
    commit();
    return;
  }
  if (message === null) {
    commit();
    // After a failure the restore writes what is missing (lib/db/deferred-indexes.ts).
    if (!failed) store.finish();
    db.close();
    return port.close();
  }
  // After a failure nothing more is written: later batches would build on the ones rolled back.
  if (failed) return post({ error: "an earlier batch failed" });
  try {
    uncommitted.push({ seq: message.seq, result: store.applyInGroup(message) });
  } catch (error) {
    fail(error);
    return;
  }
  post({ written: message.seq });
  if (uncommitted.length >= BATCHES_PER_COMMIT) commit();
});
