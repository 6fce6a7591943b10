// Runs one ingest in its own process, with the CLI's node options (tests/helpers/cli-node-flags.ts), so the
// bench can read its peak memory and CPU time.
// DB is a SQLite file (made anew; mode `later`: kept, a later run of a full ingest into it) or a
// postgresql:// URL of an empty database.
import { rmSync, statSync } from "node:fs";
import { migratePostgres } from "../../lib/db/migrate-postgres.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { postgresPool } from "../../lib/db/postgres.ts";
import { ingest } from "../../lib/ingest/ingest.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { ingestLogsPostgres } from "../../lib/ingest/ingest-postgres.ts";
import { PostgresPipelineStore } from "../../lib/store/postgres/pipeline-store.ts";

const [mode, dbFile, year, ...paths] = process.argv.slice(2);
if (!dbFile || (mode !== "raw" && mode !== "full" && mode !== "later") || !year) {
  console.error("usage: ingest-child.ts raw|full|later DB YEAR PATH...");
  process.exit(2);
}
const options = { year: Number(year) };
const started = performance.now();
const cpuBefore = process.cpuUsage();
let lines: number;
let dbBytes: number;
if (dbFile.startsWith("postgresql://")) {
  const pool = postgresPool(dbFile);
  await migratePostgres(pool);
  const summary =
    mode === "raw"
      ? await ingest(new PostgresPipelineStore(pool), paths, options)
      : await ingestLogsPostgres(pool, paths, options);
  lines = summary.totals.read;
  const size = await pool.query<{ bytes: number }>("SELECT pg_database_size(current_database()) AS bytes");
  dbBytes = size.rows[0]?.bytes ?? 0;
  await pool.end();
} else {
  if (mode !== "later")
    for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbFile}${suffix}`, { force: true });
  const { db } = openAppDatabase(dbFile);
  const summary = mode === "raw" ? await ingest(db, paths, options) : await ingestLogs(db, paths, options);
  lines = summary.totals.read;
  db.close();
  dbBytes = statSync(dbFile).size;
}
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    lines,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    dbBytes,
  }),
);
