// A throw-away PostgreSQL server for the tests: Debian's `postgresql` package (installed by
// .ci/run), initdb'd in a temporary directory and run as the unprivileged `postgres` user when we
// are root. It listens on 127.0.0.1 on a free port and stops by itself when the process that
// started it ends, even by kill -9: a shell between us and the server waits for its stdin (a pipe
// from us) to close, then stops the server. Plain JavaScript: tests/run.mjs starts one for a whole
// run, tests/helpers/postgres.ts one for a test file run alone.
import { execFile, execFileSync, spawn } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

const INSTALL_HINT = "apt-get install -y postgresql";

/** The directory of initdb/postgres: $SPAMTRAIL_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin. */
export function postgresBinDir(env = process.env) {
  if (env.SPAMTRAIL_PG_BIN)
    return existsSync(path.join(env.SPAMTRAIL_PG_BIN, "initdb")) ? env.SPAMTRAIL_PG_BIN : null;
  const root = "/usr/lib/postgresql";
  if (!existsSync(root)) return null;
  const versions = readdirSync(root)
    .filter((v) => existsSync(path.join(root, v, "bin", "initdb")))
    .sort((a, b) => Number(b) - Number(a));
  return versions.length > 0 ? path.join(root, versions[0], "bin") : null;
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// pg_isready answers yes only once the server takes logins (an open port comes a moment earlier).
function acceptsLogins(bin, port) {
  return new Promise((resolve) => {
    execFile(path.join(bin, "pg_isready"), ["-q", "-h", "127.0.0.1", "-p", String(port)], (error) =>
      resolve(!error),
    );
  });
}

/**
 * Starts a server; resolves with { url, stop } (url: the superuser `spamtrail` on database
 * `postgres`, no password: trust on 127.0.0.1) or { skip: reason } when it cannot start.
 */
export async function startPostgres() {
  const bin = postgresBinDir();
  if (!bin) return { skip: `PostgreSQL not installed: ${INSTALL_HINT}` };
  const asRoot = process.getuid?.() === 0;
  let uid;
  if (asRoot) {
    try {
      uid = Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim());
    } catch {
      return { skip: `no 'postgres' user to run PostgreSQL as (root may not): ${INSTALL_HINT}` };
    }
  }
  const dir = mkdtempSync(path.join(tmpdir(), "spamtrail-pg-"));
  if (asRoot) chownSync(dir, uid, -1);
  const as = (command, args) =>
    asRoot ? ["runuser", ["-u", "postgres", "--", command, ...args]] : [command, args];
  const data = path.join(dir, "data");
  try {
    const [cmd, args] = as(path.join(bin, "initdb"), [
      ...["-D", data, "-U", "spamtrail", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync"],
    ]);
    execFileSync(cmd, args, { stdio: "pipe" });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return {
      skip: `initdb failed: ${
        String(error.stderr ?? error.message)
          .trim()
          .split("\n")[0]
      }`,
    };
  }
  const port = await freePort();
  // Test settings: durability off (a test server dies with its data), enough connections for
  // three followers, the dashboard and the test itself.
  const server = [
    path.join(bin, "postgres"),
    ...["-D", data, "-k", dir, "-h", "127.0.0.1", "-p", String(port)],
    ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    ...["-c", "max_connections=200", "-c", "shared_buffers=128MB", "-c", "log_min_messages=warning"],
  ]
    .map((word) => `'${word}'`)
    .join(" ");
  const script = `${server} </dev/null >'${dir}/server.log' 2>&1 & pid=$!; cat >/dev/null; kill -INT $pid; wait $pid`;
  const [cmd, args] = as("sh", ["-c", script]);
  const child = spawn(cmd, args, { stdio: ["pipe", "ignore", "ignore"], detached: false });
  const exited = new Promise((resolve) => child.once("exit", resolve));
  let ready = false;
  for (let i = 0; i < 300 && child.exitCode === null && !ready; i++) {
    ready = await acceptsLogins(bin, port);
    if (!ready) await new Promise((r) => setTimeout(r, 100));
  }
  const stop = async () => {
    child.stdin.end();
    await exited;
    rmSync(dir, { recursive: true, force: true });
  };
  if (!ready) {
    await stop();
    return { skip: "PostgreSQL did not start within 30 s" };
  }
  return { url: `postgresql://spamtrail@127.0.0.1:${port}/postgres`, stop };
}
