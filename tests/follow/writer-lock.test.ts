// One writer at a time, with a lock the kernel drops when its holder dies: a follower restarted
// right after kill -9 takes its turn even while the dead one is not reaped yet, a second follower
// waits for the lock instead of giving up, and ingest is refused in one line.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { shellQuote } from "../../lib/cli/shell-quote.ts";
import { projectRoot } from "../../lib/core/paths.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { LAB_YEAR } from "../helpers/fixtures.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { assertStoredExactly, lineCount, waitFor } from "./check.ts";
import { start } from "./child.ts";
import { append, expectedLines, labFeed } from "./lab-feed.ts";
import { logTree } from "./options.ts";

const CLI = path.join("lib", "cli", "spamtrail.mjs");
const followCli = (dbFile: string, paths: string[]) =>
  start([CLI, "follow", "--db", dbFile, "--year", String(LAB_YEAR), ...paths]);

/** The process state letter from /proc (Z: dead, not reaped yet), or null off Linux. */
function processState(pid: number): string | null {
  const stat = `/proc/${pid}/stat`;
  return existsSync(stat) ? (readFileSync(stat, "utf8").split(") ")[1]?.[0] ?? null) : null;
}

describe("the writer lock", () => {
  test("kill -9, then a restart at once while the dead follower is not reaped yet: the new one takes the lock and reads on", async () => {
    const tree = logTree();
    const dbFile = path.join(tempDir("spamtrail-db-"), "follow.db");
    const { db } = openAppDatabase(dbFile);
    try {
      const feed = labFeed();
      const first = feed.slice(0, Math.floor(feed.length / 2));
      // The follower's parent is `sleep`, which never reaps it: killed, it stays a zombie with
      // its pid, as a follower under a busy or stuck supervisor does.
      const follower = [process.execPath, "--import", "tsx", "tests/follow/follow-child.ts", dbFile]
        .concat(tree.follow)
        .map(shellQuote)
        .join(" ");
      const holder = start(["-c", `${follower} & echo "pid $!"; exec sleep 300`], {}, "sh");
      await holder.said(/^following$/);
      const pid = Number(/^pid (\d+)$/.exec(holder.lines().find((l) => l.startsWith("pid ")) ?? "")?.[1]);
      append(tree.root, first);
      await waitFor(() => lineCount(db) === expectedLines(first), "the first half", 60_000);

      process.kill(pid, "SIGKILL");
      const restarted = followCli(dbFile, tree.follow);
      await restarted.said(/^Following \d+ file\(s\):$/);
      const state = processState(pid);
      if (state !== null) assert.equal(state, "Z", "the killed follower was still unreaped");

      const rest = feed.slice(first.length);
      append(tree.root, rest);
      await waitFor(() => lineCount(db) === expectedLines(feed), "every line after the restart", 60_000);
      restarted.child.kill("SIGTERM");
      assert.equal((await restarted.exited).code, 0, restarted.stderr());
      assertStoredExactly(db, feed);
      holder.child.kill("SIGKILL");
    } finally {
      db.close();
    }
  });

  test("a second follow waits for the lock, saying who holds it, and starts when the first stops; ingest is refused in one line", async () => {
    const tree = logTree();
    const dbFile = path.join(tempDir("spamtrail-db-"), "follow.db");
    const first = followCli(dbFile, tree.follow);
    await first.said(/^Following \d+ file\(s\):$/);
    const second = followCli(dbFile, tree.follow);
    await second.said(
      new RegExp(
        `^Waiting for the writer lock: .*follow\\.db is being written by spamtrail follow \\(pid ${first.child.pid}, since `,
      ),
    );

    const ingest = spawnSync(process.execPath, [CLI, "ingest", "--db", dbFile, tree.mailLog], {
      cwd: projectRoot(),
      encoding: "utf8",
    });
    assert.equal(ingest.status, 1);
    assert.match(
      ingest.stderr,
      /^spamtrail ingest: \S+follow\.db is being written by spamtrail follow \(pid \d+, since [^)]+\); one writer at a time\n$/,
    );

    first.child.kill("SIGTERM");
    assert.equal((await first.exited).code, 0, first.stderr());
    await second.said(/^Took the writer lock\.$/);
    await second.said(/^Following \d+ file\(s\):$/);
    const { db } = openAppDatabase(dbFile);
    try {
      const feed = labFeed().slice(0, 40);
      append(tree.root, feed);
      await waitFor(() => lineCount(db) === expectedLines(feed), "lines read by the second follower", 60_000);
    } finally {
      db.close();
    }

    // Stopped while it waits: nothing to commit, a clean exit.
    const third = followCli(dbFile, tree.follow);
    await third.said(/^Waiting for the writer lock: /);
    third.child.kill("SIGTERM");
    assert.equal((await third.exited).code, 0, third.stderr());
    await third.said(/^Stopped while waiting for the writer lock/);
    second.child.kill("SIGTERM");
    assert.equal((await second.exited).code, 0, second.stderr());
  });
});
