// The write thread: applies the batches it is sent to its own connection, in order, and answers
// each with what was written, or with the error that rolled it back.
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../db/connection.ts";
import { SqliteBatchStore } from "./sqlite-batch-store.ts";
import type { WriteBatch, WriteThreadData } from "./write-batch.ts";

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
let failed = false;

port.on("message", (batch: WriteBatch | null) => {
  // null: the run is over.
  if (batch === null) {
    // After a failure the restore writes what is missing (lib/db/deferred-indexes.ts).
    if (!failed) store.finish();
    db.close();
    return port.close();
  }
  // After a failure nothing more is written: later batches would build on the one rolled back.
  if (failed) return port.postMessage({ seq: batch.seq, error: "an earlier batch failed" });
  try {
    port.postMessage({ seq: batch.seq, result: store.apply(batch) });
  } catch (error) {
    failed = true;
    port.postMessage({ seq: batch.seq, error: (error as Error).message, stack: (error as Error).stack });
  }
});
