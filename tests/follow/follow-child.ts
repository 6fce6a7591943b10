// Runs `follow` in a child process for the kill -9 test: node --import tsx follow-child.ts DB PATH...
// With FOLLOW_SLOW_BATCH_MS it sleeps inside every write transaction that stores lines, after
// announcing it on stdout, so that the test can kill it while a batch is half written.
import { writeSync } from "node:fs";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { follow } from "../../lib/ingest/follow/follow.ts";
import { TEST_OPTIONS } from "./options.ts";

const [dbFile, ...paths] = process.argv.slice(2);
const slowMs = Number(process.env.FOLLOW_SLOW_BATCH_MS ?? 0);
const pause = new Int32Array(new SharedArrayBuffer(4));
const { db } = openAppDatabase(dbFile);
const handle = await follow(db, paths, {
  ...TEST_OPTIONS,
  batchLines: 50,
  onCommit: (fresh) => {
    if (slowMs === 0 || fresh === 0) return;
    writeSync(1, `in batch of ${fresh}\n`);
    Atomics.wait(pause, 0, 0, slowMs);
  },
});
// Listening before saying so: the test may signal the moment it reads "following" (the lines
// were all stored while catching up), and a SIGTERM without a listener kills the process.
process.once("SIGTERM", () => {
  void handle.stop().then(() => {
    process.env.FOLLOW_DEBUG && console.error("child: closing");
    db.close();
    writeSync(1, "stopped\n");
    if (process.env.FOLLOW_DEBUG)
      setTimeout(() => console.error("child: still alive", process.getActiveResourcesInfo()), 2000).unref();
  });
});
writeSync(1, "following\n");
