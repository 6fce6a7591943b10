import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync } from "node:fs";
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
};

/**
 * A realistic generated log of about `lines` maillog lines, with DSPAM's own logs and the antispam
 * syslog file beside it (tests/bench/genlog: a Debian 12 Postfix + DSPAM + Dovecot server with
 * injected faults), generated once per size and seed.
 */
export function generatedLogs(lines: number, seed = 42): GeneratedLogs {
  const dir = path.join(BENCH_DIR, `genlog-${lines}-${seed}`);
  const logs: GeneratedLogs = {
    dir,
    mailLog: path.join(dir, "mail.log"),
    syslog: path.join(dir, "syslog"),
    dspamDir: path.join(dir, "dspam"),
    truth: path.join(dir, "truth.json"),
    lines,
  };
  if (existsSync(logs.truth)) return logs;
  mkdirSync(dir, { recursive: true });
  process.stderr.write(`generating a ${lines.toLocaleString("en-US")}-line log in ${dir} …\n`);
  const result = spawnSync(
    "python3",
    [
      path.join(projectRoot(), "tests", "bench", "genlog", "genlog.py"),
      "--lines",
      String(lines),
      "--seed",
      String(seed),
      "--inject-faults",
      "0.05",
      "--dspam-dir",
      logs.dspamDir,
      "--syslog-out",
      logs.syslog,
      "-o",
      logs.mailLog,
      "--truth",
      logs.truth,
    ],
    { stdio: ["ignore", "inherit", "inherit"] },
  );
  if (result.status !== 0) throw new Error(`genlog.py failed (exit ${result.status}); is python3 installed?`);
  return logs;
}

/** Parses `--name value` from argv, with a default. */
export function argument(name: string, fallback: string): string {
  const index = process.argv.indexOf(`--${name}`);
  return index !== -1 && process.argv[index + 1] ? (process.argv[index + 1] as string) : fallback;
}

export const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
