// Runs one raw ingest (lines stored, no command of the CLI) in its own process, with the CLI's node
// options (tests/helpers/cli-node-flags.ts), so the bench can read its peak memory and CPU time.
// `spamtrail ingest` itself is measured by cli-child.mjs. DB is a SQLite file (made anew) or a
// postgresql:// URL of an empty database.
import { rmSync } from "node:fs";
import { migratePostgres } from "../../lib/db/migrate-postgres.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { postgresPool } from "../../lib/db/postgres.ts";
import { ingest } from "../../lib/ingest/ingest.ts";
import { PostgresPipelineStore } from "../../lib/store/postgres/pipeline-store.ts";

const [mode, dbFile, year, ...paths] = process.argv.slice(2);
if (!dbFile || mode !== "raw" || !year) {
  console.error("usage: ingest-child.ts raw DB YEAR PATH...");
  process.exit(2);
}
const postgres = dbFile.startsWith("postgresql://");
if (!postgres) for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbFile}${suffix}`, { force: true });
const started = performance.now();
const cpuBefore = process.cpuUsage();
const lines = await rawIngest();
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
console.log(
  JSON.stringify({
    lines,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
  }),
);

async function rawIngest(): Promise<number> {
  const options = { year: Number(year) };
  if (!postgres) {
    const { db } = openAppDatabase(dbFile as string);
    const summary = await ingest(db, paths, options);
    db.close();
    return summary.totals.read;
  }
  const pool = postgresPool(dbFile as string);
  await migratePostgres(pool);
  const summary = await ingest(new PostgresPipelineStore(pool), paths, options);
  await pool.end();
  return summary.totals.read;
}
