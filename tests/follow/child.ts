// Child processes of the follow tests: a follower (or any command) whose output lines can be awaited.
import { type ChildProcess, spawn } from "node:child_process";
import path from "node:path";
import { after } from "node:test";
import { projectRoot } from "../../lib/core/paths.ts";
import { waitFor } from "./check.ts";

/**
 * A child process whose stdout lines are collected, to wait for what it announces. The waits are
 * generous: CI runs these beside a `next build` on two cores; they test what is stored, not speed.
 */
export function start(
  args: string[],
  env: Record<string, string> = {},
  command = process.execPath,
  // How long it may run: a follower that lives through a whole test (restarts, catch-ups) longer.
  lifetimeMs = 90_000,
) {
  const child: ChildProcess = spawn(command, args, {
    cwd: projectRoot(),
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const out: string[] = [];
  let err = "";
  child.stdout?.on("data", (chunk: Buffer) => out.push(...chunk.toString().split("\n").filter(Boolean)));
  child.stderr?.on("data", (chunk: Buffer) => {
    if (process.env.FOLLOW_DEBUG)
      process.stderr.write(`[child ${child.pid} ${Date.now() % 100000}] ${chunk}`);
    err += chunk.toString();
  });
  let running = true;
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on("exit", (code, signal) => {
      running = false;
      resolve({ code, signal });
    }),
  );
  // A follower that never exits (a watcher left open) fails the test instead of hanging it.
  const exited = Promise.race([
    exit,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`the follower did not exit (stderr: ${err})`)), lifetimeMs).unref(),
    ),
  ]);
  // A failed test must not leave its follower running (it would keep the test process alive).
  after(() => {
    if (running) child.kill("SIGKILL");
  });
  return {
    child,
    exited,
    stderr: () => err,
    lines: () => out,
    said: (pattern: RegExp, times = 1) =>
      waitFor(
        () => out.filter((line) => pattern.test(line)).length >= times,
        `${pattern} (stderr: ${err})`,
        60_000,
      ),
  };
}

export const followChild = (
  db: string,
  paths: string[],
  env: Record<string, string> = {},
  lifetimeMs?: number,
) =>
  start(
    ["--import", "tsx", path.join("tests", "follow", "follow-child.ts"), db, ...paths],
    env,
    process.execPath,
    lifetimeMs,
  );
