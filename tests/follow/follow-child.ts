// Runs `follow` in a child process for the kill -9 test: node --import tsx follow-child.ts DB PATH...
// With FOLLOW_SLOW_BATCH_MS it sleeps inside every write transaction that stores lines, after
// announcing it on stdout, so that the test can kill it while a batch is half written.
import { writeSync } from "node:fs";
import { migratePostgres } from "../../lib/db/migrate-postgres.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { postgresPool } from "../../lib/db/postgres.ts";
import { follow } from "../../lib/ingest/follow/follow.ts";
import { PostgresFollowStore } from "../../lib/store/postgres/follow-store.ts";
import { TEST_OPTIONS } from "./options.ts";

// DB is a SQLite file, or a postgresql:// URL followed as mail server FOLLOW_HOST (default "mail").
const [dbFile = "", ...paths] = process.argv.slice(2);
const slowMs = Number(process.env.FOLLOW_SLOW_BATCH_MS ?? 0);
const pause = new Int32Array(new SharedArrayBuffer(4));
const onPostgres = dbFile.startsWith("postgresql://");
const pool = onPostgres ? postgresPool(dbFile) : undefined;
if (pool) await migratePostgres(pool);
const db = pool
  ? new PostgresFollowStore(pool, {
      host: process.env.FOLLOW_HOST ?? "mail",
      shown: "test",
      leaderEveryMs: 100,
      log: (message) => writeSync(1, `${message}\n`),
    })
  : openAppDatabase(dbFile).db;
const handle = await follow(db, paths, {
  ...TEST_OPTIONS,
  year: process.env.FOLLOW_YEAR ? Number(process.env.FOLLOW_YEAR) : TEST_OPTIONS.year,
  // FOLLOW_RETENTION_DAYS: pruning every 300 ms instead of hourly.
  retentionDays: Number(process.env.FOLLOW_RETENTION_DAYS ?? 0),
  intervals: { ...TEST_OPTIONS.intervals, retention: 300 },
  log: onPostgres ? (message) => writeSync(1, `${message}\n`) : undefined,
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
  void handle.stop().then(async () => {
    process.env.FOLLOW_DEBUG && console.error("child: closing");
    if ("close" in db && !pool) db.close();
    await pool?.end();
    writeSync(1, "stopped\n");
    if (process.env.FOLLOW_DEBUG)
      setTimeout(() => console.error("child: still alive", process.getActiveResourcesInfo()), 2000).unref();
  });
});
writeSync(1, "following\n");
