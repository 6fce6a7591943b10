import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { statSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../../lib/core/paths.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { prismaFor } from "../../lib/db/prisma.ts";
import { getFollowStatus } from "../../lib/queries/follow-status.ts";
import { LAB_YEAR } from "../helpers/fixtures.ts";
import { postgresSkip } from "../helpers/postgres.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { lineCount, waitFor } from "./check.ts";
import { followChild, start } from "./child.ts";
import { type FollowedDatabaseKind, followedDatabases } from "./followed-databases.ts";
import { append, type Entry, expectedLines, labFeed } from "./lab-feed.ts";
import { logTree } from "./options.ts";

// Imported here, not only by followed-databases.ts: tests/run.mjs starts its PostgreSQL server for
// the test files that import tests/helpers/postgres.ts.
const databases = followedDatabases(await postgresSkip());

describe("restarts", () => {
  for (const { name, skip, open } of databases)
    test(
      `${name}: kill -9 in the middle of a write batch, then a restart: no line lost or stored twice, journeys equal a batch ingest`,
      { skip },
      () => killedMidBatchThenRestarted(open),
    );

  test("spamtrail follow: one writer (ingest is refused meanwhile); SIGTERM commits what was read and exits 0; sources show when they were read", async () => {
    const tree = logTree();
    const dbFile = path.join(tempDir("spamtrail-db-"), "follow.db");
    const cli = start([
      path.join("lib", "cli", "spamtrail.mjs"),
      "follow",
      "--db",
      dbFile,
      "--year",
      String(LAB_YEAR),
      ...tree.follow,
    ]);
    await cli.said(/^Following \d+ file\(s\):$/);
    const { db } = openAppDatabase(dbFile);
    try {
      const feed = labFeed();
      append(tree.root, feed);
      await waitFor(() => lineCount(db) === expectedLines(feed), "every line", 60_000);
      const ingest = spawnSync(
        process.execPath,
        [path.join("lib", "cli", "spamtrail.mjs"), "ingest", "--db", dbFile, tree.mailLog],
        { cwd: projectRoot(), encoding: "utf8" },
      );
      assert.equal(ingest.status, 1, ingest.stderr);
      assert.match(ingest.stderr, /being written by spamtrail follow \(pid \d+/);
      cli.child.kill("SIGTERM");
      assert.equal((await cli.exited).code, 0, cli.stderr());
      await cli.said(/^Stopped: /);

      const prisma = prismaFor(dbFile);
      const { follow: status } = await getFollowStatus(prisma);
      if (status.state !== "stopped") assert.fail(`follow status: ${status.state}`);
      assert.equal(status.linesNew, expectedLines(feed));
      assert.ok(status.files > 1, `${status.files} files`);
      // The same heartbeat read later than three missed beats, had it said "running":
      await prisma.setting.update({
        where: { key: "follow.status" },
        data: {
          value: JSON.stringify({
            ...JSON.parse(
              (await prisma.setting.findUniqueOrThrow({ where: { key: "follow.status" } })).value,
            ),
            state: "running",
          }),
        },
      });
      const later = new Date(status.heartbeatAt.getTime() + 91_000);
      assert.equal((await getFollowStatus(prisma, later)).follow.state, "silent");
      assert.equal((await getFollowStatus(prisma, status.heartbeatAt)).follow.state, "running");
      await prisma.$disconnect();
      const source = db
        .prepare(`SELECT "offset", size, lastReadAt, lastTs FROM Source WHERE path = ?`)
        .get(tree.mailLog) as { offset: number; size: number; lastReadAt: number | null; lastTs: number };
      assert.equal(source.offset, statSync(tree.mailLog).size, "read to the end");
      assert.equal(source.size, source.offset, "nothing left to read");
      assert.ok(source.lastReadAt !== null && source.lastReadAt > source.lastTs);
    } finally {
      db.close();
    }
  });
});

/** A follower killed (kill -9) while it writes a batch, then started again on more lines. */
async function killedMidBatchThenRestarted(open: FollowedDatabaseKind["open"]): Promise<void> {
  const tree = logTree();
  const database = await open();
  try {
    const feed = labFeed();
    const first = feed.slice(0, Math.floor(feed.length * 0.6));
    const written: Entry[] = [...first];

    const killed = followChild(database.target, tree.follow, { FOLLOW_SLOW_BATCH_MS: "100" });
    await killed.said(/^following$/);
    append(tree.root, first);
    await killed.said(/^in batch of \d+$/, 3);
    killed.child.kill("SIGKILL");
    assert.equal((await killed.exited).signal, "SIGKILL");
    const committed = await database.lineCount();
    assert.ok(
      committed > 0 && committed < expectedLines(written),
      `killed mid-way: ${committed} lines committed`,
    );

    const rest = feed.slice(first.length);
    append(tree.root, rest);
    written.push(...rest);
    const again = followChild(database.target, tree.follow);
    await again.said(/^following$/);
    await waitFor(
      async () => (await database.lineCount()) === expectedLines(written),
      "every line after the restart",
      60_000,
    );
    again.child.kill("SIGTERM");
    await again.said(/^stopped$/);
    assert.equal((await again.exited).code, 0, again.stderr());

    await database.assertAsWritten(written, tree.root);
  } finally {
    database.close();
  }
}
