#!/usr/bin/env node
// Runs the dashboard's server (lib/cli/dashboard-server.mjs, as `spamtrail serve` does) for the
// browser tests and stops it by itself: when the test process that started it is gone (killed,
// crashed), or after a maximum lifetime.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const [port, maxSeconds = "900"] = process.argv.slice(2);
const parent = process.ppid;
const server = fileURLToPath(new URL("../../lib/cli/dashboard-server.mjs", import.meta.url));
const child = spawn(process.execPath, [server, "127.0.0.1", port], {
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
child.on("exit", (code) => {
  clearInterval(watchdog);
  clearTimeout(deadline);
  process.exit(code ?? 0);
});
