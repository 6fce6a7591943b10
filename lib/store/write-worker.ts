// The write thread: applies the batches it is sent to its own connection, in order, and answers
// each with what was written, or with the error that rolled it back.
import { parentPort, workerData } from "node:worker_threads";
import { openDatabase } from "../db/connection.ts";
import { SqliteBatchStore } from "./sqlite-batch-store.ts";
import type { WriteBatch } from "./write-batch.ts";

const port = parentPort;
if (!port) throw new Error("write-worker.ts runs as a worker thread");
const db = openDatabase((workerData as { file: string }).file);
const store = new SqliteBatchStore(db);
let failed = false;
port.on("message", (batch: WriteBatch | null) => {
  // null: the run is over.
  if (batch === null) {
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
