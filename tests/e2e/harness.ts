import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { createServer } from "node:net";
import path from "node:path";
import { projectRoot } from "../../lib/core/paths.ts";

export const ROOT = projectRoot();
export const CHROMIUM = "/usr/bin/chromium";
/** Why browser tests cannot run here, or false. */
export const SKIP_BROWSER: string | false = existsSync(CHROMIUM)
  ? false
  : "Chromium not installed: apt-get install -y chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
  "--disable-quic",
];
export const DIST_DIR = ".next-test";
export const SCREENSHOTS = path.join(ROOT, "tests", ".artifacts", "screenshots");

const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "proxy.ts",
  "instrumentation.ts",
  "next.config.ts",
  "postcss.config.mjs",
  "tsconfig.json",
  "package-lock.json",
];

function newest(file: string): number {
  if (!existsSync(file)) return 0;
  const info = statSync(file);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(file).map((name) => newest(path.join(file, name))));
}

/**
 * Builds the dashboard into .next-test (never the .next a running dashboard uses), unless that
 * build is newer than every source. Next rewrites tsconfig.json's include for another distDir;
 * the file is put back as it was.
 */
export function buildForTests(): { built: boolean; ms: number } {
  const started = performance.now();
  const buildId = path.join(ROOT, DIST_DIR, "BUILD_ID");
  const current = () =>
    existsSync(buildId) &&
    statSync(buildId).mtimeMs > Math.max(...BUILD_INPUTS.map((i) => newest(path.join(ROOT, i))));
  if (current()) return { built: false, ms: performance.now() - started };
  // Two test files may want the build at once: one builds, the other waits for it.
  const lock = path.join(ROOT, `${DIST_DIR}.lock`);
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const since = statSync(lock, { throwIfNoEntry: false })?.mtimeMs ?? Date.now();
      // A lock left by a killed test run.
      if (Date.now() - since > 15 * 60_000) rmSync(lock, { recursive: true, force: true });
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    }
  }
  try {
    if (current()) return { built: false, ms: performance.now() - started };
    return build(started);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function build(started: number): { built: boolean; ms: number } {
  const tsconfig = path.join(ROOT, "tsconfig.json");
  const original = readFileSync(tsconfig);
  const { atime, mtime } = statSync(tsconfig);
  try {
    const result = spawnSync(
      process.execPath,
      [createRequire(import.meta.url).resolve("next/dist/bin/next"), "build"],
      {
        cwd: ROOT,
        encoding: "utf8",
        env: {
          ...process.env,
          SPAMTRAIL_DIST_DIR: DIST_DIR,
          SPAMTRAIL_SKIP_TYPECHECK: "1",
          NEXT_TELEMETRY_DISABLED: "1",
          NODE_ENV: "production",
        },
        maxBuffer: 1 << 26,
      },
    );
    if (result.status !== 0) throw new Error(`next build failed:\n${result.stdout}\n${result.stderr}`);
  } finally {
    if (!readFileSync(tsconfig).equals(original)) {
      writeFileSync(tsconfig, original);
      utimesSync(tsconfig, atime, mtime);
    }
  }
  return { built: true, ms: performance.now() - started };
}

/**
 * A copy of the test build under another name, for servers of another test file: a running
 * server writes into its build directory (cache, trace), and two test files' servers sharing one
 * made a client navigation fail now and then.
 */
export function copyBuild(name: string): string {
  rmSync(path.join(ROOT, name), { recursive: true, force: true });
  cpSync(path.join(ROOT, DIST_DIR), path.join(ROOT, name), { recursive: true });
  return name;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

export type RunningApp = { url: string; port: number; output: () => string; stop: () => Promise<void> };

/**
 * A long-lived node SCRIPT for a browser test (tests/e2e/watched-child.mjs runs it): output piped to
 * the test, stopped with the test process even when the runner times the test out and skips its
 * clean-up, or after 15 minutes.
 */
export function spawnWatched(script: string, args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(
    process.execPath,
    [path.join(ROOT, "tests", "e2e", "watched-child.mjs"), "900", script, ...args],
    {
      cwd: ROOT,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...env },
    },
  );
}

/** Starts the dashboard's server (as `spamtrail serve` does) on 127.0.0.1 against a database; resolves once it answers. */
export async function startApp(options: {
  dbFile: string;
  /** Another copy of the build (copyBuild) than DIST_DIR. */
  distDir?: string;
  /** Another database than the file (postgresql://…). */
  databaseUrl?: string;
  env?: Record<string, string>;
}): Promise<RunningApp> {
  const port = await freePort();
  let output = "";
  const child = spawnWatched(
    path.join(ROOT, "lib", "cli", "dashboard-server.mjs"),
    ["127.0.0.1", String(port)],
    {
      ...options.env,
      DATABASE_URL: options.databaseUrl ?? `file:${options.dbFile}`,
      SPAMTRAIL_DIST_DIR: options.distDir ?? DIST_DIR,
      NEXT_TELEMETRY_DISABLED: "1",
      NODE_ENV: "production",
    },
  );
  child.stdout?.on("data", (chunk) => {
    output += String(chunk);
  });
  child.stderr?.on("data", (chunk) => {
    output += String(chunk);
  });
  const url = `http://127.0.0.1:${port}`;
  const stop = () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null)
      throw new Error(`the dashboard's server exited (${child.exitCode}):\n${output}`);
    try {
      const response = await fetch(`${url}/login`, { redirect: "manual" });
      if (response.status < 500) return { url, port, output: () => output, stop };
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  await stop();
  throw new Error(`the dashboard's server did not answer within 30 s:\n${output}`);
}

/** tests/.artifacts/screenshots/<name>.png */
export function screenshotPath(name: string): string {
  mkdirSync(SCREENSHOTS, { recursive: true });
  return path.join(SCREENSHOTS, `${name}.png`);
}
