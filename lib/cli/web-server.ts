import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { projectRoot } from "../core/paths.ts";

const require = createRequire(import.meta.url);
const nextBin = () => require.resolve("next/dist/bin/next");
const BUILD_INPUTS = [
  "app",
  "components",
  "lib",
  "public",
  "instrumentation.ts",
  "next.config.ts",
  "package-lock.json",
];

function newestMtime(file: string): number {
  if (!existsSync(file)) return 0;
  const info = statSync(file);
  if (!info.isDirectory()) return info.mtimeMs;
  return Math.max(info.mtimeMs, ...readdirSync(file).map((name) => newestMtime(path.join(file, name))));
}

/** True when .next is missing or older than the sources it was built from. */
export function buildIsStale(root = projectRoot(), distDir = ".next"): boolean {
  const buildId = path.join(root, distDir, "BUILD_ID");
  if (!existsSync(buildId)) return true;
  const built = statSync(buildId).mtimeMs;
  return BUILD_INPUTS.some((input) => newestMtime(path.join(root, input)) > built);
}

/** Runs `next build` in the checkout; returns false when it failed. */
export function buildDashboard(env: NodeJS.ProcessEnv = process.env): boolean {
  const result = spawnSync(process.execPath, [nextBin(), "build"], {
    cwd: projectRoot(),
    stdio: "inherit",
    env: { ...env, NEXT_TELEMETRY_DISABLED: "1" },
  });
  return result.status === 0;
}

/** The script that serves the built dashboard (Next's handler behind our own node:http server). */
export const DASHBOARD_SERVER = path.join(projectRoot(), "lib", "cli", "dashboard-server.mjs");

/** Serves the built dashboard on host:port against the given database; resolves with its exit code. */
export function runDashboard(options: {
  host: string;
  port: number;
  /** DATABASE_URL of the server: file:PATH or postgresql://… */
  databaseUrl: string;
  env?: NodeJS.ProcessEnv;
}): Promise<number> {
  const child = spawn(process.execPath, [DASHBOARD_SERVER, options.host, String(options.port)], {
    cwd: projectRoot(),
    stdio: ["ignore", "inherit", "inherit"],
    env: {
      ...(options.env ?? process.env),
      DATABASE_URL: options.databaseUrl,
      NEXT_TELEMETRY_DISABLED: "1",
    },
  });
  const stop = () => child.kill("SIGTERM");
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
  return new Promise((resolve) => {
    child.on("exit", (code, signal) => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve(code ?? (signal ? 0 : 1));
    });
  });
}
