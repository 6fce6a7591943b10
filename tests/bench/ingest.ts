// npm run bench:ingest [-- --lines 1000000 --runs 1 --maillog-only --dovecot-later --halves --db postgresql://USER@HOST/DB]
// Ingest of a generated log (genlog.py --days 2 --seed 42 --inject-faults 0.05, with DSPAM's logs and
// the antispam syslog), each run in its own process: raw (lines only: the maillog, then all three
// inputs) and full (lines, correlation, findings; maillog + syslog + DSPAM's files), beside
// pflogsumm on the same maillog when it is installed. Prints time, lines/s, CPU, peak RSS and
// database size, then the ratios of the full and the raw ingests' times to pflogsumm's (the raw
// ingest of all three inputs is the floor under the full one's). The machine's load is printed
// too: it is shared.
// With --db postgresql://…: into PostgreSQL (each run into a new database made beside the one the
// URL names, dropped after it: the user needs CREATEDB), and then three processes at once, one per
// server of a 3-server log of the same size (genlog.py --hosts 3 --split-hosts), as three
// followers catching up would write.
// With --dovecot-later (SQLite): the maillog without Dovecot's lines, DSPAM's logs and the syslog
// first, then Dovecot's lines in a later run (its own log file, or the IMAP server's logs read
// another day): what the later run costs when every store completes a stored delivery.
// With --halves (SQLite): every log cut in two at the time of the maillog's middle line; the older
// half imported first, then the newer half in a later run (what every run after the first is), and
// the newer half alone as a first import, to compare.
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { cliNodeEnv, cliNodeFlags } from "../helpers/cli-node-flags.ts";
import { argument, BENCH_DIR, fmt, generatedLogs, generatedYear, generateLogSet } from "./generated-logs.ts";
import { logHalves } from "./log-halves.ts";
import { median } from "./stats.ts";

const lines = Number(argument("lines", "1000000"));
const runs = Number(argument("runs", "1"));
const logs = generatedLogs(lines, 42, 2);
const year = generatedYear(logs);
const here = path.dirname(fileURLToPath(import.meta.url));
const postgres = argument("db", "");
if (postgres && !postgres.startsWith("postgresql://")) throw new Error("--db takes a postgresql:// URL");

/** A new database on the server of --db, dropped by the returned function. */
async function benchDatabase(name: string): Promise<{ url: string; drop: () => Promise<void> }> {
  const admin = new pg.Client({ connectionString: postgres });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(postgres);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS "${name}"`);
      await admin.end();
    },
  };
}

type Result = { lines: number; ms: number; cpuMs: number; maxRssKb?: number; dbBytes?: number };

async function runIngest(mode: "raw" | "full", paths: string[]): Promise<Result> {
  const target = postgres ? await benchDatabase(`spamtrail_bench_${mode}`) : undefined;
  try {
    return await runChild(mode, target?.url ?? path.join(BENCH_DIR, `bench-${mode}.db`), year, paths);
  } finally {
    await target?.drop();
  }
}

/** The size of a SQLite file, or of the PostgreSQL database a URL names. */
async function databaseBytes(db: string): Promise<number> {
  if (!db.startsWith("postgresql://")) return statSync(db).size;
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    const size = await client.query<{ bytes: string }>(
      "SELECT pg_database_size(current_database()) AS bytes",
    );
    return Number(size.rows[0]?.bytes ?? 0);
  } finally {
    await client.end();
  }
}

type Mode = "raw" | "full" | "later";

// `full` and `later` run `spamtrail ingest` as the CLI does (compiled, no tsx loaded); `raw` is no
// command of the CLI: it stores lines only, through the TypeScript.
function childArgs(mode: Mode, db: string, logYear: number, paths: string[]): string[] {
  const child =
    mode === "raw"
      ? ["--import", "tsx", path.join(here, "ingest-child.ts")]
      : [path.join(here, "cli-child.mjs")];
  return [...cliNodeFlags(), ...child, mode, db, String(logYear), ...paths];
}

// As the CLI runs (its shebang's environment); the generator writes the servers' local time in UTC (its --tz default).
const childEnv = () => ({ ...process.env, ...cliNodeEnv(), TZ: "UTC" });

/** One ingest in a child process: its figures, and the database's size after it. */
async function runChild(mode: Mode, db: string, logYear: number, paths: string[]): Promise<Result> {
  const result = spawnSync(process.execPath, childArgs(mode, db, logYear, paths), {
    encoding: "utf8",
    maxBuffer: 1 << 24,
    env: childEnv(),
  });
  if (result.status !== 0) throw new Error(`ingest failed: ${result.stderr}`);
  const figures = JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as Result;
  return { ...figures, dbBytes: await databaseBytes(db) };
}

// Dovecot's lines of the maillog (`host dovecot: …`, `host dovecot[pid]: …`) and the rest, written once beside it.
const DOVECOT_LINE = /^\S+ +\d+ \S+ \S+ dovecot(?:\[\d+\])?: /;
function dovecotSplit(): { rest: string; dovecot: string } {
  const dir = path.join(logs.dir, "dovecot-later");
  const files = { rest: path.join(dir, "without-dovecot.log"), dovecot: path.join(dir, "dovecot.log") };
  if (existsSync(files.dovecot)) return files;
  mkdirSync(dir, { recursive: true });
  const rest: string[] = [];
  const dovecot: string[] = [];
  for (const line of readFileSync(logs.mailLog, "utf8").split("\n")) {
    if (line === "") continue;
    (DOVECOT_LINE.test(line) ? dovecot : rest).push(line);
  }
  writeFileSync(files.rest, `${rest.join("\n")}\n`);
  writeFileSync(`${files.dovecot}.tmp`, `${dovecot.join("\n")}\n`);
  renameSync(`${files.dovecot}.tmp`, files.dovecot);
  return files;
}

function timePflogsumm(): Result | null {
  const probe = spawnSync("sh", ["-c", "command -v pflogsumm"], { encoding: "utf8" });
  if (probe.status !== 0) return null;
  const started = performance.now();
  const result = spawnSync("/usr/bin/time", ["-f", "%U %S %M", "pflogsumm", logs.mailLog], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - started;
  const [user, sys, maxRssKb] = (result.stderr.trim().split("\n").at(-1) ?? "0 0 0").split(" ").map(Number);
  return { lines, ms, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000, maxRssKb };
}

const mib = (bytes: number) => bytes / 1024 / 1024;
const report = (label: string, r: Result) =>
  console.log(
    `${label.padEnd(36)} ${fmt(r.lines).padStart(10)} lines  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ` +
      `${fmt((r.lines / r.ms) * 1000).padStart(8)} lines/s  cpu ${(r.cpuMs / 1000).toFixed(1).padStart(5)} s` +
      (r.maxRssKb ? `  peak RSS ${fmt(r.maxRssKb / 1024).padStart(4)} MiB` : "") +
      (r.dbBytes
        ? `  database ${fmt(mib(r.dbBytes)).padStart(5)} MiB (${fmt(mib(r.dbBytes) / (r.lines / 1e6))} MiB per million lines)`
        : ""),
  );
const load = () => loadavg()[0]?.toFixed(2);

if (postgres)
  console.log(`database: PostgreSQL on ${new URL(postgres).host} (new databases spamtrail_bench_*)`);
console.log(`log: ${logs.dir} (${fmt(lines)} maillog lines + DSPAM logs + antispam syslog; year ${year})`);
console.log(`machine: 1-minute load average ${load()} at start\n`);
/** Three processes at once, one per server's files, into one new PostgreSQL database. */
async function threeServers(): Promise<Result> {
  const split = generateLogSet(
    `genlog-${lines}-42-2d-hosts3`,
    ["--lines", String(lines), "--seed", "42", "--days", "2", "--inject-faults", "0.05", "--hosts", "3"],
    { splitHosts: true },
  );
  const target = await benchDatabase("spamtrail_bench_hosts3");
  try {
    const hosts = ["mail1", "mail2", "mail3"];
    const started = performance.now();
    const results = await Promise.all(
      hosts.map(
        (host) =>
          new Promise<Result>((resolve, reject) => {
            const paths = [
              path.join(split.hostsDir, host, "mail.log"),
              path.join(split.hostsDir, host, "syslog"),
              path.join(split.dspamDir, host),
            ];
            const child = spawn(
              process.execPath,
              childArgs("full", target.url, generatedYear(split), paths),
              {
                env: childEnv(),
                stdio: ["ignore", "pipe", "inherit"],
              },
            );
            let out = "";
            child.stdout.on("data", (chunk: Buffer) => {
              out += chunk;
            });
            child.on("exit", (code) =>
              code === 0
                ? resolve(JSON.parse(out.trim().split("\n").at(-1) as string) as Result)
                : reject(new Error(`${host}: exit ${code}`)),
            );
          }),
      ),
    );
    return {
      lines: results.reduce((sum, r) => sum + r.lines, 0),
      ms: performance.now() - started,
      cpuMs: results.reduce((sum, r) => sum + r.cpuMs, 0),
      maxRssKb: Math.max(...results.map((r) => r.maxRssKb ?? 0)),
      dbBytes: await databaseBytes(target.url),
    };
  } finally {
    await target.drop();
  }
}

// Each run's figures, summed up after the last: the host's speed drifts between runs.
const ratios: number[] = [];
const rawRatios: number[] = [];
const floorRatios: number[] = [];
const rawRates: number[] = [];
const peaks: number[] = [];

for (let run = 1; run <= runs; run += 1) {
  const raw = await runIngest("raw", [logs.mailLog]);
  report("raw ingest, maillog only", raw);
  const allInputs = [logs.mailLog, logs.syslog, logs.dspamDir];
  // The full ingest's inputs, lines stored and nothing else: the floor under its time.
  const rawAll = await runIngest("raw", allInputs);
  report("raw ingest, maillog+syslog+DSPAM", rawAll);
  const full = await runIngest("full", allInputs);
  report("full ingest, maillog+syslog+DSPAM", full);
  if (postgres) report("3 servers at once (3 processes)", await threeServers());
  const mailOnly = process.argv.includes("--maillog-only") ? await runIngest("full", [logs.mailLog]) : null;
  if (mailOnly) report("full ingest, maillog only", mailOnly);
  if (process.argv.includes("--dovecot-later") && !postgres) {
    const split = dovecotSplit();
    const db = path.join(BENCH_DIR, "bench-later.db");
    report(
      "full ingest without Dovecot's lines",
      await runChild("full", db, year, [split.rest, logs.syslog, logs.dspamDir]),
    );
    // The database holds both runs' lines: its size per line of the later run says nothing.
    const later = await runChild("later", db, year, [split.dovecot]);
    report("Dovecot's lines in a later run", { ...later, dbBytes: undefined });
  }
  if (process.argv.includes("--halves") && !postgres) {
    const halves = await logHalves(logs, year);
    const db = path.join(BENCH_DIR, "bench-halves.db");
    report("older half, first import", await runChild("full", db, year, halves.older));
    const later = await runChild("later", db, year, halves.newer);
    report("newer half, later run", { ...later, dbBytes: undefined });
    const alone = await runChild("full", path.join(BENCH_DIR, "bench-newer.db"), year, halves.newer);
    report("newer half alone, first import", alone);
    console.log(
      `the newer half in a later run takes ${(later.ms / alone.ms).toFixed(2)}x its time as a first import`,
    );
  }
  const pflogsumm = timePflogsumm();
  if (pflogsumm) report("pflogsumm, maillog only", pflogsumm);
  const rawRate = (raw.lines / raw.ms) * 1000;
  rawRates.push(rawRate);
  peaks.push((full.maxRssKb ?? 0) / 1024);
  console.log(`\nraw ingest: ${fmt(rawRate)} lines/s`);
  if (pflogsumm) {
    const ratio = full.ms / pflogsumm.ms;
    const rawRatio = raw.ms / pflogsumm.ms;
    const floorRatio = rawAll.ms / pflogsumm.ms;
    ratios.push(ratio);
    rawRatios.push(rawRatio);
    floorRatios.push(floorRatio);
    console.log(
      `full ingest (maillog+syslog+DSPAM) takes ${ratio.toFixed(2)}x pflogsumm's time` +
        (mailOnly ? `; full ingest of the maillog alone ${(mailOnly.ms / pflogsumm.ms).toFixed(2)}x` : ""),
    );
    console.log(`raw ingest (maillog lines only) takes ${rawRatio.toFixed(2)}x pflogsumm's time`);
    // What storing the same lines alone costs against it: the floor under the full ingest's ratio.
    console.log(
      `raw ingest of the full ingest's inputs (maillog+syslog+DSPAM lines only) takes ${floorRatio.toFixed(2)}x pflogsumm's time`,
    );
  } else {
    console.log("(pflogsumm not installed: apt-get install -y pflogsumm to compare)");
  }
  console.log(`machine: 1-minute load average ${load()} at the end of run ${run}`);
}

if (runs > 1) {
  const range = (values: number[], digits: number) => {
    const show = (n: number) => (digits === 0 ? fmt(n) : n.toFixed(digits));
    return `median ${show(median(values))} (${show(Math.min(...values))}–${show(Math.max(...values))})`;
  };
  console.log(
    `\n${runs} runs: raw ingest ${range(rawRates, 0)} lines/s; full ingest peak RSS ${range(peaks, 0)} MiB`,
  );
  if (ratios.length > 0) {
    console.log(`full ingest / pflogsumm: ${range(ratios, 2)}x`);
    console.log(`raw ingest / pflogsumm: ${range(rawRatios, 2)}x`);
    console.log(`raw ingest of the full ingest's inputs / pflogsumm: ${range(floorRatios, 2)}x`);
  }
}
