#!/usr/bin/env node
// Runs a long-lived process for the browser tests (the dashboard's server, `spamtrail follow`) and
// stops it by itself: when the test process that started it is gone (killed, crashed, or timed out
// by the test runner, which skips the test's own clean-up), or after a maximum lifetime.
// Usage: watched-child.mjs MAX_SECONDS SCRIPT [ARG…]
import { spawn } from "node:child_process";

const [maxSeconds, script, ...args] = process.argv.slice(2);
if (!maxSeconds || !script || !(Number(maxSeconds) > 0)) {
  console.error("usage: watched-child.mjs MAX_SECONDS SCRIPT [ARG…]");
  process.exit(2);
}
const parent = process.ppid;
const child = spawn(process.execPath, [script, ...args], {
  stdio: ["ignore", "inherit", "inherit"],
  env: process.env,
});
const stop = () => {
  child.kill("SIGTERM");
  setTimeout(() => child.kill("SIGKILL"), 3000).unref();
};
const alive = () => {
  try {
    process.kill(parent, 0);
    return process.ppid === parent;
  } catch {
    return false;
  }
};
const watchdog = setInterval(() => {
  if (!alive()) stop();
}, 1000);
const deadline = setTimeout(stop, Number(maxSeconds) * 1000);
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
child.on("exit", (code, signal) => {
  clearInterval(watchdog);
  clearTimeout(deadline);
  process.exit(code ?? (signal ? 1 : 0));
});
