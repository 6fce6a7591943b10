// Runs `spamtrail ingest --db DB --year YEAR PATH...` in this process as the CLI runs it (its
// compiled copy, lib/cli/compiled-cli.mjs: no tsx loaded), so the bench reads its peak memory and
// CPU time; prints them as JSON, with the lines read (the summary's total row). Mode `full` makes the SQLite file anew, `later` keeps it (a later run into it); DB may be
// a postgresql:// URL of an empty database. Plain JavaScript: anything loaded here would count.
import { rmSync } from "node:fs";
import { Readable, Writable } from "node:stream";
import { loadCli } from "../../lib/cli/compiled-cli.mjs";

const [mode, db, year, ...paths] = process.argv.slice(2);
if (!db || (mode !== "full" && mode !== "later") || !year) {
  console.error("usage: cli-child.mjs full|later DB YEAR PATH...");
  process.exit(2);
}
const postgres = db.startsWith("postgresql://");
if (!postgres && mode === "full")
  for (const suffix of ["", "-wal", "-shm"]) rmSync(`${db}${suffix}`, { force: true });

const { main } = await loadCli();
const started = performance.now();
const cpuBefore = process.cpuUsage();
let stdout = "";
let stderr = "";
const sink = (append) =>
  new Writable({
    write(chunk, _encoding, done) {
      append(String(chunk));
      done();
    },
  });
const code = await main(["ingest", "--db", db, "--year", year, ...paths], {
  stdout: sink((text) => {
    stdout += text;
  }),
  stderr: sink((text) => {
    stderr += text;
  }),
  stdin: Readable.from([]),
  env: process.env,
});
const ms = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
if (code !== 0) throw new Error(`spamtrail ingest exited ${code}: ${stderr}`);
const total = /^total\s+([\d,]+)\s/m.exec(stdout);
if (!total) throw new Error(`no total row in spamtrail ingest's summary:\n${stdout}`);

console.log(
  JSON.stringify({
    lines: Number(total[1].replaceAll(",", "")),
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    maxRssKb: process.resourceUsage().maxRSS,
  }),
);
