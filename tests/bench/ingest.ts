// npm run bench:ingest [-- --lines 1000000 --runs 1]
// Raw ingest (lines only) and full ingest (lines + correlation + findings) of a generated log with
// its DSPAM files, side by side with pflogsumm on the same maillog when it is installed.
import { spawnSync } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { argument, BENCH_DIR, fmt, generatedLogs } from "./generated-logs.ts";

const lines = Number(argument("lines", "1000000"));
const runs = Number(argument("runs", "1"));
const logs = generatedLogs(lines);
const here = path.dirname(fileURLToPath(import.meta.url));

type Result = { lines: number; ms: number; cpuMs: number; maxRssKb: number };

function runIngest(mode: "raw" | "full", paths: string[]): Result {
  const result = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      path.join(here, "ingest-child.ts"),
      mode,
      path.join(BENCH_DIR, `bench-${mode}.db`),
      ...paths,
    ],
    { encoding: "utf8", maxBuffer: 1 << 24 },
  );
  if (result.status !== 0) throw new Error(`ingest failed: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split("\n").at(-1) as string) as Result;
}

function timePflogsumm(): { ms: number; cpuMs: number } | null {
  const probe = spawnSync("sh", ["-c", "command -v pflogsumm"], { encoding: "utf8" });
  if (probe.status !== 0) return null;
  const started = performance.now();
  const result = spawnSync("/usr/bin/time", ["-f", "%U %S", "pflogsumm", logs.mailLog], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  const ms = performance.now() - started;
  const [user, sys] = (result.stderr.trim().split("\n").at(-1) ?? "0 0").split(" ").map(Number);
  return { ms, cpuMs: ((user ?? 0) + (sys ?? 0)) * 1000 };
}

const report = (label: string, r: Result) =>
  console.log(
    `${label.padEnd(34)} ${fmt(r.lines).padStart(10)} lines  ${(r.ms / 1000).toFixed(1).padStart(6)} s  ` +
      `${fmt((r.lines / r.ms) * 1000).padStart(8)} lines/s  cpu ${(r.cpuMs / 1000).toFixed(1)} s  peak RSS ${fmt(r.maxRssKb / 1024)} MiB`,
  );

console.log(`log: ${logs.dir} (${fmt(lines)} maillog lines + DSPAM logs + antispam syslog)\n`);
for (let run = 1; run <= runs; run += 1) {
  report("raw ingest, maillog only", runIngest("raw", [logs.mailLog]));
  const full = runIngest("full", [logs.mailLog, logs.syslog, logs.dspamDir]);
  report("full ingest, maillog+syslog+DSPAM", full);
  const mailOnly = runIngest("full", [logs.mailLog]);
  report("full ingest, maillog only", mailOnly);
  const pflogsumm = timePflogsumm();
  if (pflogsumm) {
    console.log(
      `${"pflogsumm, maillog only".padEnd(34)} ${fmt(lines).padStart(10)} lines  ${(pflogsumm.ms / 1000).toFixed(1).padStart(6)} s  ` +
        `${fmt((lines / pflogsumm.ms) * 1000).padStart(8)} lines/s  cpu ${(pflogsumm.cpuMs / 1000).toFixed(1)} s`,
    );
    console.log(
      `\nfull ingest of the maillog takes ${(mailOnly.ms / pflogsumm.ms).toFixed(2)}x pflogsumm's time`,
    );
  } else {
    console.log("\n(pflogsumm not installed: apt-get install -y pflogsumm to compare)");
  }
}
