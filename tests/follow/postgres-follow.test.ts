// spamtrail follow on PostgreSQL: kill -9 loses and repeats nothing, one follower per mail server,
// and the journeys equal a batch ingest into SQLite.
import assert from "node:assert/strict";
import path from "node:path";
import { after, describe, test } from "node:test";
import type pg from "pg";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { postgresPool } from "../../lib/db/postgres.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { ingestedState, ingestedStatePostgres } from "../helpers/db-state.ts";
import { LAB_YEAR } from "../helpers/fixtures.ts";
import { freshPostgresDatabase, postgresSkip } from "../helpers/postgres.ts";
import { lineCountPostgres, storedLinesPostgres } from "../helpers/stored-lines.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { assertLinesExactly, waitFor } from "./check.ts";
import { followChild } from "./child.ts";
import { append, type Entry, expectedLines, labFeed } from "./lab-feed.ts";
import { logTree } from "./options.ts";

const skip = await postgresSkip();

/** What a batch ingest of the same files into SQLite makes of them. */
async function batchState(root: string) {
  const { db } = openAppDatabase(path.join(tempDir("spamtrail-batch-"), "batch.db"));
  try {
    await ingestLogs(db, [root], { year: LAB_YEAR });
    return ingestedState(db);
  } finally {
    db.close();
  }
}

describe("follow on PostgreSQL", { skip }, () => {
  const pools: pg.Pool[] = [];
  after(() => Promise.all(pools.map((pool) => pool.end())));
  const database = async () => {
    const url = await freshPostgresDatabase();
    const pool = postgresPool(url);
    pools.push(pool);
    return { url, pool };
  };

  test("kill -9 in the middle of a write batch, then a restart: no line lost or stored twice, journeys equal a batch ingest", async () => {
    const tree = logTree();
    const { url, pool } = await database();
    const feed = labFeed();
    const first = feed.slice(0, Math.floor(feed.length * 0.6));
    const written: Entry[] = [...first];

    const killed = followChild(url, tree.follow, { FOLLOW_SLOW_BATCH_MS: "100" });
    await killed.said(/^following$/);
    append(tree.root, first);
    await killed.said(/^in batch of \d+$/, 3);
    killed.child.kill("SIGKILL");
    assert.equal((await killed.exited).signal, "SIGKILL");
    const committed = await lineCountPostgres(pool);
    assert.ok(
      committed > 0 && committed < expectedLines(written),
      `killed mid-way: ${committed} lines committed`,
    );

    const rest = feed.slice(first.length);
    append(tree.root, rest);
    written.push(...rest);
    const again = followChild(url, tree.follow);
    await again.said(/^following$/);
    await waitFor(
      async () => (await lineCountPostgres(pool)) === expectedLines(written),
      "every line after the restart",
      60_000,
    );
    again.child.kill("SIGTERM");
    await again.said(/^stopped$/);
    assert.equal((await again.exited).code, 0, again.stderr());

    assertLinesExactly(await storedLinesPostgres(pool), written);
    assert.deepEqual(await ingestedStatePostgres(pool), await batchState(tree.root));
  });

  test("a second follower of the same mail server waits for the first; one of another server does not", async () => {
    const tree = logTree();
    const other = logTree();
    const { url } = await database();
    const first = followChild(url, tree.follow);
    await first.said(/^following$/);
    const same = followChild(url, tree.follow);
    await same.said(/^another follower of mail is running \(pid \d+/);
    const elsewhere = followChild(url, other.follow, { FOLLOW_HOST: "mx2" });
    await elsewhere.said(/^following$/);
    assert.ok(!same.lines().includes("following"), "the second follower of mail waits");
    first.child.kill("SIGTERM");
    await first.said(/^stopped$/);
    await same.said(/^following$/);
    for (const child of [same, elsewhere]) {
      child.child.kill("SIGTERM");
      await child.said(/^stopped$/);
      assert.equal((await child.exited).code, 0, child.stderr());
    }
  });
});
