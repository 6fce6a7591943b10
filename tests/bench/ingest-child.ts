// Runs one ingest in its own process so the bench can read its peak memory and CPU time.
import { rmSync } from "node:fs";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { ingest } from "../../lib/ingest/ingest.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";

const [mode, dbFile, ...paths] = process.argv.slice(2);
if (!dbFile || (mode !== "raw" && mode !== "full")) {
  console.error("usage: ingest-child.ts raw|full DB PATH...");
  process.exit(2);
}
for (const suffix of ["", "-wal", "-shm"]) rmSync(`${dbFile}${suffix}`, { force: true });
const { db } = openAppDatabase(dbFile);
const started = performance.now();
const cpuBefore = process.cpuUsage();
const summary = mode === "raw" ? await ingest(db, paths) : await ingestLogs(db, paths);
const cpu = process.cpuUsage(cpuBefore);
db.close();
console.log(
  JSON.stringify({
    lines: summary.totals.read,
    ms: performance.now() - started,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
  }),
);
