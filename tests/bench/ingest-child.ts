// Runs one ingest in its own process so the bench can read its peak memory and CPU time.
import { rmSync, statSync } from "node:fs";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { ingest } from "../../lib/ingest/ingest.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";

const [mode, dbFile, year, ...paths] = process.argv.slice(2);
if (!dbFile || (mode !== "raw" && mode !== "full") || !year) {
  console.error("usage: ingest-child.ts raw|full DB YEAR PATH...");
  process.exit(2);
}
for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbFile}${suffix}`, { force: true });
const { db } = openAppDatabase(dbFile);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const options = { year: Number(year) };
const summary = mode === "raw" ? await ingest(db, paths, options) : await ingestLogs(db, paths, options);
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
db.close();
console.log(
  JSON.stringify({
    lines: summary.totals.read,
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
    dbBytes: statSync(dbFile).size,
  }),
);
