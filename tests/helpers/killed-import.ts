// Child of tests/helpers/run-killed-import.ts: `spamtrail ingest`'s work on the write thread (a
// first import when the database is empty, a later one otherwise), killed with SIGKILL by itself
// once AFTER batches are committed, while later ones are being written. Usage: killed-import.ts DB
// YEAR AFTER PATH...
import { openDatabase } from "../../lib/db/connection.ts";
import { acquireWriterLock } from "../../lib/db/writer-lock.ts";
import { correlateSink } from "../../lib/ingest/correlate-sink.ts";
import { ingest } from "../../lib/ingest/ingest.ts";

const [file, year, after, ...paths] = process.argv.slice(2);
if (!file || !year || !after || paths.length === 0)
  throw new Error("usage: killed-import.ts DB YEAR AFTER PATH...");
const db = openDatabase(file);
acquireWriterLock(db.name, "spamtrail ingest");
const sink = correlateSink(db);
let committed = 0;
await ingest(db, paths, {
  year: Number(year),
  writeThread: "worker",
  batchLines: 100,
  sink: {
    ...sink,
    committed(result) {
      sink.committed(result);
      committed += 1;
      if (committed === Number(after)) process.kill(process.pid, "SIGKILL");
    },
  },
});
console.log(`finished after ${committed} batches`);
