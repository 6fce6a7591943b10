// PostgreSQL's journey writer writes a batch of decisions in a few multi-row statements
// (lib/store/postgres/net-writes.ts folds them first); SQLite's JourneyWriter writes them one by
// one. Both must leave the same rows: every table, every column, journeys named by key. The writes
// are the decision tables' (tests/helpers/resolve-cases.ts, relay-cases.ts) and a batch that
// writes a journey three times, drops and writes a key again, and claims and releases
// classifications within itself.
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import Database from "better-sqlite3";
import type pg from "pg";
import { resolveOutputs, type StoreWrite } from "../lib/correlate/resolve.ts";
import type { Db } from "../lib/db/connection.ts";
import { migrate } from "../lib/db/migrate.ts";
import { migratePostgres } from "../lib/db/migrate-postgres.ts";
import { postgresPool } from "../lib/db/postgres.ts";
import { SqliteCorrelationLookup } from "../lib/store/correlation-lookup.ts";
import { JOURNEY_TABLES, JourneyWriter } from "../lib/store/journey-writer.ts";
import { PostgresJourneyWriter } from "../lib/store/postgres/journey-writer.ts";
import { epochMs } from "../lib/store/postgres/sql.ts";
import { freshPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { RELAY_CASES, STORE_CASES } from "./helpers/relay-cases.ts";
import { journey, RESOLVE_CASES, stored, T0, training, verdict } from "./helpers/resolve-cases.ts";

const skip = await postgresSkip();
const TIMES = new Set(["ts", "firstTs", "lastTs"]);

// Each table's rows in an order that does not depend on ids, with their ids and the key of their journey.
const ORDER: Record<keyof typeof JOURNEY_TABLES, string> = {
  journey: `t."key"`,
  queue: `"journeyKey", t."position"`,
  delivery: `"journeyKey", t."lineId", t."recipient"`,
  host: `"journeyKey", t."host"`,
  verdict: `t."lineId"`,
  store: `t."lineId"`,
  training: `t."key"`,
};

function dumpSql(postgres: boolean): Record<string, string> {
  return Object.fromEntries(
    Object.entries(JOURNEY_TABLES).map(([name, { table, columns }]) => {
      const owned = columns.includes("journeyId");
      const select = [...(name === "host" || name === "store" ? [] : ["id"]), ...columns].map((c) =>
        TIMES.has(c) && postgres ? epochMs(`t."${c}"`, c) : `t."${c}"`,
      );
      if (owned) select.push(`j."key" AS "journeyKey"`);
      const join = owned ? `LEFT JOIN "Journey" j ON j."id" = t."journeyId"` : "";
      return [
        name,
        `SELECT ${select.join(", ")} FROM "${table}" t ${join} ORDER BY ${ORDER[name as keyof typeof ORDER]}`,
      ];
    }),
  );
}

// SQLite has no booleans: 0/1 on both sides.
const plain = (rows: Record<string, unknown>[]) =>
  rows.map((row) =>
    Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === "boolean" ? Number(v) : v])),
  );

function sqliteRows(writes: readonly StoreWrite[]): Record<string, unknown> {
  const db: Db = new Database(":memory:");
  try {
    migrate(db);
    const writer = new JourneyWriter(db);
    for (const write of writes) writer.apply(write);
    return Object.fromEntries(
      Object.entries(dumpSql(false)).map(([name, sql]) => [
        name,
        plain(db.prepare(sql).all() as Record<string, unknown>[]),
      ]),
    );
  } finally {
    db.close();
  }
}

/** The writes of a decision table's case: what the store held, then what was decided. */
function caseWrites(c: (typeof RESOLVE_CASES)[number]): { store: StoreWrite[]; writes: StoreWrite[] } {
  const db: Db = new Database(":memory:");
  try {
    migrate(db);
    const writer = new JourneyWriter(db);
    for (const write of c.store) writer.apply(write);
    const writes: StoreWrite[] = [];
    resolveOutputs(c.outputs, new SqliteCorrelationLookup(db), (write) => {
      writes.push(write);
      writer.apply(write);
    });
    return { store: c.store, writes };
  } finally {
    db.close();
  }
}

const k1 = "mail/Q1/1709287200";
const k2 = "mail/Q7/1709287300";
const second = journey(k2, {
  messageId: "<m2@example.net>",
  verdicts: [verdict(22, { messageId: "<m2@example.net>", queueId: "Q2" })],
});
/** One batch that writes the same rows several times over. */
const BUSY_BATCH: StoreWrite[] = [
  { type: "verdict", verdict: verdict(20) },
  { type: "journey", journey: journey(k1, { verdicts: [verdict(20, { queueId: "Q2" })] }), replaces: false },
  { type: "training", training: stored(training("sig20/1/alice", { login: null }), k1) },
  { type: "journey", journey: journey(k1, { subject: "second version", verdicts: [] }), replaces: true },
  { type: "journey", journey: second, replaces: false },
  {
    type: "training",
    training: stored(training("sig20/1/alice", { outcome: "unknown", fromMailbox: null }), k1),
  },
  { type: "drop-journey", key: k2 },
  { type: "journey", journey: { ...second, subject: "again", verdicts: [] }, replaces: false },
  {
    type: "journey",
    journey: journey(k1, { verdicts: [verdict(21, { queueId: "Q2" })] }),
    replaces: true,
  },
  {
    type: "store",
    store: { lineId: 40, ts: T0, host: "imap", user: "bob", session: "s1", messageId: null, folder: "Junk" },
  },
  {
    type: "store",
    store: { lineId: 40, ts: T0, host: "imap", user: "bob", session: "s1", messageId: null, folder: "INBOX" },
  },
];

describe("PostgreSQL's journey writer leaves the rows SQLite's leaves", { skip }, () => {
  let pool: pg.Pool;
  let client: pg.PoolClient;
  before(async () => {
    pool = postgresPool(await freshPostgresDatabase("jw"));
    await migratePostgres(pool);
    client = await pool.connect();
  });
  after(async () => {
    client?.release();
    await pool?.end();
  });

  async function postgresRows(batches: StoreWrite[][]): Promise<Record<string, unknown>> {
    await client.query("BEGIN");
    try {
      // Ids from 1, as in a new SQLite database (a sequence ignores the rollback after each case).
      for (const { table } of Object.values(JOURNEY_TABLES))
        if (table !== "JourneyHost" && table !== "DovecotStore")
          await client.query(`SELECT setval(pg_get_serial_sequence('"${table}"', 'id'), 1, false)`);
      const writer = new PostgresJourneyWriter(client);
      for (const batch of batches) await writer.applyAll(batch);
      const rows: Record<string, unknown> = {};
      for (const [name, sql] of Object.entries(dumpSql(true)))
        rows[name] = plain((await client.query(sql)).rows);
      return rows;
    } finally {
      await client.query("ROLLBACK");
    }
  }

  for (const c of [...RESOLVE_CASES, ...RELAY_CASES, ...STORE_CASES]) {
    test(c.name, async () => {
      const { store, writes } = caseWrites(c);
      const expected = sqliteRows([...store, ...writes]);
      assert.deepEqual(
        await postgresRows([store, writes]),
        expected,
        "the store's batch, then the decided one",
      );
      assert.deepEqual(await postgresRows([[...store, ...writes]]), expected, "all in one batch");
    });
  }

  test("a batch that writes a journey three times, drops and writes a key again, claims and releases classifications", async () => {
    const expected = sqliteRows(BUSY_BATCH);
    assert.equal((expected.journey as unknown[]).length, 2);
    assert.deepEqual(await postgresRows([BUSY_BATCH]), expected);
    // The same writes over journeys stored by an earlier batch.
    const earlier = BUSY_BATCH.slice(0, 5);
    assert.deepEqual(await postgresRows([earlier, BUSY_BATCH.slice(5)]), expected);
  });
});
