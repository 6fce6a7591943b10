import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../lib/core/paths.ts";

/** Where benches keep generated logs and databases (gitignored; reused between runs). */
export const BENCH_DIR = path.join(projectRoot(), "tests", ".artifacts", "bench");

export type GeneratedLogs = {
  dir: string;
  mailLog: string;
  syslog: string;
  dspamDir: string;
  truth: string;
  lines: number;
  /** With `splitHosts`: <host>/mail.log and <host>/syslog, each server's own lines (genlog.py --split-hosts). */
  hostsDir: string;
};

/**
 * A realistic generated log of about `lines` maillog lines over `days` days, with DSPAM's own logs
 * and the antispam syslog file beside it (tests/bench/genlog: a Debian 12 Postfix + DSPAM + Dovecot server with
 * injected faults), generated once per size and seed.
 */
export function generatedLogs(lines: number, seed = 42, days = 1): GeneratedLogs {
  return generateLogSet(`genlog-${lines}-${seed}${days === 1 ? "" : `-${days}d`}`, [
    "--lines",
    String(lines),
    "--seed",
    String(seed),
    ...(days === 1 ? [] : ["--days", String(days)]),
    "--inject-faults",
    "0.05",
  ]);
}

/** A log set genlog.py makes with `options` (besides its outputs), kept under BENCH_DIR/name and reused. */
export function generateLogSet(
  name: string,
  options: readonly string[],
  { splitHosts = false }: { splitHosts?: boolean } = {},
): GeneratedLogs {
  const dir = path.join(BENCH_DIR, name);
  const logs: GeneratedLogs = {
    dir,
    mailLog: path.join(dir, "mail.log"),
    syslog: path.join(dir, "syslog"),
    dspamDir: path.join(dir, "dspam"),
    truth: path.join(dir, "truth.json"),
    lines: Number(options[options.indexOf("--lines") + 1] ?? 0),
    hostsDir: path.join(dir, "hosts"),
  };
  if (existsSync(logs.truth)) return logs;
  // Written aside and renamed: another test process making the same set never reads half of it.
  const work = `${dir}.tmp-${process.pid}`;
  mkdirSync(work, { recursive: true });
  process.stderr.write(`generating ${name} in ${dir} …\n`);
  const result = spawnSync(
    "python3",
    [
      path.join(projectRoot(), "tests", "bench", "genlog", "genlog.py"),
      ...options,
      "--dspam-dir",
      path.join(work, "dspam"),
      "--syslog-out",
      path.join(work, "syslog"),
      "-o",
      path.join(work, "mail.log"),
      "--truth",
      path.join(work, "truth.json"),
      ...(splitHosts ? ["--split-hosts", path.join(work, "hosts")] : []),
    ],
    { stdio: ["ignore", "ignore", "inherit"] },
  );
  if (result.status !== 0) throw new Error(`genlog.py failed (exit ${result.status}); is python3 installed?`);
  if (!existsSync(logs.truth)) renameSync(work, dir);
  else rmSync(work, { recursive: true, force: true });
  return logs;
}
/** Parses `--name value` from argv, with a default. */
export function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index !== -1 && process.argv[index + 1] ? (process.argv[index + 1] as string) : fallback;
}

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The year of the generated log's first line: classic syslog dates have none, DSPAM's epoch records do. */
export function generatedYear(logs: GeneratedLogs): number {
  return Number(String(JSON.parse(readFileSync(logs.truth, "utf8")).params.start).slice(0, 4));
}
