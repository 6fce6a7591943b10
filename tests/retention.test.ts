// Retention (lib/store/retention.ts, and PostgreSQL's lib/store/postgres/retention.ts): the lab
// ingested into SQLite and into PostgreSQL, pruned at a cutoff in the middle of its two minutes,
// keeps the same rows on both: no journey, retraining, evidence or unclaimed classification older
// than the cutoff, and every line of a journey kept.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type pg from "pg";
import { migratePostgres } from "../lib/db/migrate-postgres.ts";
import { postgresPool } from "../lib/db/postgres.ts";
import { postgresPrismaFor, prismaFor } from "../lib/db/prisma.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { ingestLogsPostgres } from "../lib/ingest/ingest-postgres.ts";
import { correlatedThrough } from "../lib/store/postgres/correlation-store.ts";
import { PostgresPruner } from "../lib/store/postgres/retention.ts";
import { type PruneCounts, prune } from "../lib/store/retention.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { freshPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { lineCount, lineCountPostgres } from "./helpers/stored-lines.ts";
import { storedRows } from "./helpers/stored-rows.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const skip = await postgresSkip();
// The lab's mail runs from 03:26:50 to 03:28:01 (UTC) on 22 November.
const CUTOFF = Date.UTC(LAB_YEAR, 10, 22, 3, 27, 20);
const NOW = Date.UTC(LAB_YEAR, 11, 1);

describe("retention", () => {
  const sqlite = tempDatabase();
  let ingested: Record<string, string[]> = {};
  let linesBefore = 0;
  let counts: PruneCounts;

  before(async () => {
    await ingestLogs(sqlite.db, [LAB_LOGS], { year: LAB_YEAR });
    ingested = await storedRows(prismaFor(sqlite.file));
    linesBefore = lineCount(sqlite.db);
    // Small batches: several transactions per phase.
    counts = await prune(sqlite.db, CUTOFF, { batchRows: 7, now: () => NOW });
  });

  test("deletes what is older than the cutoff and keeps every line of the journeys it keeps (SQLite)", async () => {
    const db = sqlite.db;
    const older = (sql: string) => (db.prepare(sql).pluck().get(CUTOFF) as number) ?? 0;
    assert.ok(counts.journeys > 0 && counts.evidence > 0, JSON.stringify(counts));
    const kept = db.prepare(`SELECT count(*) FROM Journey`).pluck().get() as number;
    assert.ok(kept > 0 && kept < (ingested.Journey?.length ?? 0), `${kept} journeys kept`);
    assert.equal(older(`SELECT count(*) FROM Journey WHERE lastTs < ?`), 0);
    assert.equal(older(`SELECT count(*) FROM Training WHERE ts < ?`), 0);
    assert.equal(older(`SELECT count(*) FROM FindingEvidence WHERE ts < ?`), 0);
    assert.equal(older(`SELECT count(*) FROM Verdict WHERE journeyId IS NULL AND ts < ?`), 0);
    assert.equal(older(`SELECT count(*) FROM DovecotStore WHERE ts < ?`), 0);
    // Findings agree with their evidence.
    assert.equal(
      db
        .prepare(
          `SELECT count(*) FROM Finding f WHERE count != (SELECT count(*) FROM FindingEvidence WHERE findingId = f.id)`,
        )
        .pluck()
        .get(),
      0,
    );
    const lines = new Set(
      (db.prepare(`SELECT lines FROM Journey`).pluck().all() as string[]).flatMap((l) =>
        (JSON.parse(l) as [number, string][]).map(([id]) => id),
      ),
    );
    const stored = db.prepare(`SELECT count(*) FROM LineBlock WHERE ? >= id AND ? < id + count`).pluck();
    for (const id of lines) assert.equal(stored.get(id, id), 1, `line ${id} of a kept journey`);
    // Lines an hour older than the oldest journey kept may have belonged to it: none in two minutes.
    assert.equal(lineCount(db), linesBefore);
  });

  describe("on PostgreSQL", { skip }, () => {
    let pool: pg.Pool;
    let url = "";
    after(() => pool?.end());

    test("the same rows as on SQLite after pruning at the same cutoff", async () => {
      url = await freshPostgresDatabase("ret");
      pool = postgresPool(url);
      await migratePostgres(pool);
      await ingestLogsPostgres(pool, [LAB_LOGS], { year: LAB_YEAR });
      const client = await pool.connect();
      let pruned: PruneCounts;
      try {
        const through = await correlatedThrough(client);
        const pruner = new PostgresPruner(CUTOFF, () => through, { batchRows: 7, now: () => NOW });
        while (await pruner.step(client)) {}
        pruned = pruner.counts;
      } finally {
        client.release();
      }
      assert.deepEqual(pruned, counts);
      const fromPostgres = postgresPrismaFor(url);
      try {
        const expected = await storedRows(prismaFor(sqlite.file));
        const actual = await storedRows(fromPostgres);
        for (const model of Object.keys(expected)) assert.deepEqual(actual[model], expected[model], model);
      } finally {
        await fromPostgres.$disconnect();
      }
      assert.equal(await lineCountPostgres(pool), lineCount(sqlite.db));
    });

    test("a cutoff after the lab's last line leaves no journey, line or evidence on either database", async () => {
      const all = await prune(sqlite.db, NOW, { now: () => NOW });
      const client = await pool.connect();
      try {
        const through = await correlatedThrough(client);
        const pruner = new PostgresPruner(NOW, () => through, { now: () => NOW });
        while (await pruner.step(client)) {}
        assert.deepEqual(pruner.counts, all);
      } finally {
        client.release();
      }
      assert.ok(all.lines > 0, JSON.stringify(all));
      assert.equal(lineCount(sqlite.db), 0);
      assert.equal(await lineCountPostgres(pool), 0);
      for (const table of ["Journey", "Verdict", "Training", "FindingEvidence", "LineKey", "LineIssue"]) {
        assert.equal(sqlite.db.prepare(`SELECT count(*) FROM "${table}"`).pluck().get(), 0, table);
        assert.equal((await pool.query(`SELECT count(*)::int AS n FROM "${table}"`)).rows[0].n, 0, table);
      }
    });
  });
});
