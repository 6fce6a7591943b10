// spamtrail follow on PostgreSQL: one follower per mail server, and the journeys equal a batch
// ingest into SQLite (kill -9 on both databases: tests/follow/restart.test.ts).
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { StoredRetention } from "../../lib/core/follow-status.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { postgresPrismaFor } from "../../lib/db/prisma.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { getFollowStatus } from "../../lib/queries/follow-status.ts";
import {
  correlatedThrough,
  LEADER_LOCK,
  lastStoredLineId,
} from "../../lib/store/postgres/correlation-store.ts";
import { generatedYear, generateLogSet } from "../bench/generated-logs.ts";
import { ingestedState, ingestedStatePostgres } from "../helpers/db-state.ts";
import { migratedPostgresDatabase, postgresSkip } from "../helpers/postgres.ts";
import { lineCount, lineCountPostgres } from "../helpers/stored-lines.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { waitFor } from "./check.ts";
import { followChild } from "./child.ts";
import { append, labFeed } from "./lab-feed.ts";
import { logTree } from "./options.ts";

const skip = await postgresSkip();

describe("follow on PostgreSQL", { skip }, () => {
  const database = () => migratedPostgresDatabase();

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
    // The Sources page's heartbeat per mail server.
    const prisma = postgresPrismaFor(url);
    try {
      const heartbeats = async () => (await getFollowStatus(prisma as unknown as PrismaClient)).followers;
      await waitFor(
        async () => (await heartbeats()).filter((f) => f.state === "running" && !f.catchingUp).length === 2,
        "both followers' heartbeats",
      );
      const followers = await heartbeats();
      assert.deepEqual(
        followers.map((f) => [f.host, f.state, f.pid]),
        [
          ["mail", "running", first.child.pid],
          ["mx2", "running", elsewhere.child.pid],
        ],
      );
      assert.equal(followers.filter((f) => f.leader).length <= 1, true, "one leader at most");
    } finally {
      await prisma.$disconnect();
    }
    first.child.kill("SIGTERM");
    await first.said(/^stopped$/);
    await same.said(/^following$/);
    for (const child of [same, elsewhere]) {
      child.child.kill("SIGTERM");
      await child.said(/^stopped$/);
      assert.equal((await child.exited).code, 0, child.stderr());
    }
  });

  test("retention runs under follow on PostgreSQL, in the correlating follower only", async () => {
    const tree = logTree();
    const other = logTree();
    const { url, pool } = await database();
    // The lab's mail is of 22 November: older than 7 days.
    append(tree.root, labFeed());
    const followers = [
      followChild(url, tree.follow, { FOLLOW_RETENTION_DAYS: "7" }),
      followChild(url, other.follow, { FOLLOW_HOST: "mx2", FOLLOW_RETENTION_DAYS: "7" }),
    ];
    for (const follower of followers) await follower.said(/^following$/);
    const count = async (table: string) =>
      (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0]?.n;
    await waitFor(async () => (await correlatedThrough(pool)) > 0, "the leader correlating the lab");
    await waitFor(
      async () =>
        (await count("Journey")) === 0 &&
        (await count("FindingEvidence")) === 0 &&
        (await lineCountPostgres(pool)) === 0,
      "every journey, evidence and line of the lab pruned",
      60_000,
    );
    // The leader records its run after the prune's last step: wait for that record too.
    const storedRetention = async () => {
      const retention = await pool.query<{ value: string }>(
        `SELECT "value" FROM "Setting" WHERE "key" = 'retention'`,
      );
      return JSON.parse(retention.rows[0]?.value ?? "null") as StoredRetention | null;
    };
    await waitFor(async () => (await storedRetention()) !== null, "the retention run recorded");
    assert.equal((await storedRetention())?.days, 7);
    for (const follower of followers) follower.child.kill("SIGTERM");
    for (const follower of followers) {
      await follower.said(/^stopped$/);
      assert.equal((await follower.exited).code, 0, follower.stderr());
    }
    // Pruning is the leader's: a follower that never led never pruned.
    const pruned = followers.filter((f) =>
      f.lines().some((l) => l.startsWith("retention (7 days): deleted")),
    );
    const led = followers.filter((f) => f.lines().some((l) => l.startsWith("correlating:")));
    assert.ok(pruned.length >= 1);
    for (const follower of pruned) assert.ok(led.includes(follower), "only a leader prunes");
  });

  test("three followers at once, one per mail server reading its own files, give what one batch ingest of all files into SQLite gives", async () => {
    const logs = generateLogSet("hosts3-400-s7", ["--messages", "400", "--hosts", "3", "--seed", "7"], {
      splitHosts: true,
    });
    const year = generatedYear(logs);
    const files = (host: string) => [
      path.join(logs.hostsDir, host, "mail.log"),
      path.join(logs.hostsDir, host, "syslog"),
      path.join(logs.dspamDir, host),
    ];
    const hosts = ["mail1", "mail2", "mail3"];
    const { db } = openAppDatabase(path.join(tempDir("spamtrail-batch-"), "batch.db"));
    let expected: ReturnType<typeof ingestedState>;
    let lines: number;
    try {
      await ingestLogs(db, hosts.flatMap(files), { year });
      expected = ingestedState(db);
      lines = lineCount(db);
    } finally {
      db.close();
    }
    const { url, pool } = await database();
    // The followers start one after another (node's start-up): while they catch up, the test
    // holds the leader's lock, so that correlation starts once all three stored their backlog
    // (a follower that starts long after the others with a backlog: see README, "Many servers").
    const holder = await pool.connect();
    await holder.query("SELECT pg_advisory_lock($1)", [LEADER_LOCK]);
    const followers = hosts.map((host) =>
      followChild(url, files(host), { FOLLOW_HOST: host, FOLLOW_YEAR: String(year) }),
    );
    for (const follower of followers) await follower.said(/^following$/);
    await waitFor(async () => (await lineCountPostgres(pool)) === lines, `all ${lines} lines`, 60_000);
    await holder.query("SELECT pg_advisory_unlock($1)", [LEADER_LOCK]);
    holder.release();
    await waitFor(
      async () => (await correlatedThrough(pool)) >= (await lastStoredLineId(pool)),
      "the leader correlating every line",
      60_000,
    );
    for (const follower of followers) follower.child.kill("SIGTERM");
    for (const follower of followers) {
      await follower.said(/^stopped$/);
      assert.equal((await follower.exited).code, 0, follower.stderr());
    }
    assert.equal(
      followers.filter((f) => f.lines().some((l) => l.startsWith("correlating:"))).length >= 1,
      true,
    );
    assert.deepEqual(await ingestedStatePostgres(pool), expected);
  });
});
