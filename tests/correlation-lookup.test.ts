// The store's side of lib/correlate/resolve.ts: the same table of decisions as
// lib/correlate/resolve.test.ts, answered by SQLite (SqliteCorrelationLookup) and written by
// JourneyWriter, so the in-memory store of that table cannot drift from the real one.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { resolveOutputs, type StoreWrite } from "../lib/correlate/resolve.ts";
import { deferIndexes } from "../lib/db/deferred-indexes.ts";
import { LOOKUP_SQL, SqliteCorrelationLookup } from "../lib/store/correlation-lookup.ts";
import { JOURNEY_SQL, JourneyWriter } from "../lib/store/journey-writer.ts";
import { RELAY_CASES, STORE_CASES } from "./helpers/relay-cases.ts";
import { describeWrite, RESOLVE_CASES } from "./helpers/resolve-cases.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

describe("correlation decisions answered by the SQLite store", () => {
  const { db } = tempDatabase();
  const writer = new JourneyWriter(db);
  const lookup = new SqliteCorrelationLookup(db);
  for (const c of [...RESOLVE_CASES, ...RELAY_CASES, ...STORE_CASES]) {
    test(c.name, () => {
      // Each case in a transaction rolled back after it: one database for the whole table.
      db.exec("BEGIN");
      try {
        for (const write of c.store) writer.apply(write);
        const writes: StoreWrite[] = [];
        resolveOutputs(c.outputs, lookup, (write) => {
          writes.push(write);
          writer.apply(write);
        });
        assert.deepEqual(writes.map(describeWrite), c.writes);
      } finally {
        db.exec("ROLLBACK");
      }
    });
  }

  test("a training written again is stored as last decided, its direction too (a guess corrected by the dspam command)", () => {
    db.exec("BEGIN");
    try {
      const training = {
        key: "sig30/1709290800/dave",
        ts: 1_709_290_800_000,
        host: "mail",
        login: null,
        filter: "dspam" as const,
        filterUser: "dave",
        classifiedUser: null,
        signature: "sig30",
        messageId: null,
        direction: "innocent" as const,
        outcome: "failed" as const,
        reason: "Signature retrieval for 'sig30' failed",
        fromMailbox: null,
        toMailbox: null,
        lines: [30],
        journeyKey: null,
      };
      writer.apply({ type: "training", training });
      writer.apply({
        type: "training",
        training: { ...training, direction: "spam", login: "dave", lines: [30, 31] },
      });
      assert.deepEqual(db.prepare("SELECT direction, outcome, login FROM Training").all(), [
        { direction: "spam", outcome: "failed", login: "dave" },
      ]);
    } finally {
      db.exec("ROLLBACK");
    }
  });

  test("what was decided is what is stored: claims, and trainings with their classifier and journey", () => {
    db.exec("BEGIN");
    try {
      const c = RESOLVE_CASES.find((x) => x.name.startsWith("training back-fill"));
      assert.ok(c);
      for (const write of c.store) writer.apply(write);
      resolveOutputs(c.outputs, lookup, (write) => writer.apply(write));
      assert.deepEqual(
        db
          .prepare(
            `SELECT t.key, t.classifiedUser, t.messageId, j.key AS journey FROM Training t JOIN Journey j ON j.id = t.journeyId`,
          )
          .all(),
        [
          {
            key: "sig20/1709290800/alice",
            classifiedUser: "alice@example.org",
            messageId: "<m1@example.net>",
            journey: "mail/Q1/1709287200",
          },
        ],
      );
      assert.deepEqual(
        db
          .prepare(
            `SELECT v.lineId, v.queueId, j.key AS journey FROM Verdict v JOIN Journey j ON j.id = v.journeyId`,
          )
          .all(),
        [{ lineId: 20, queueId: "Q2", journey: "mail/Q1/1709287200" }],
      );
    } finally {
      db.exec("ROLLBACK");
    }
  });
});

// A lookup without an index reads the whole table for every output of every batch: a Dovecot log
// read after the maillog (its own file, another server) took 2 minutes for 53,081 lines of a
// 300,000-line log before Delivery(session) had an index, and grows with the square of the log.
describe("the write path's lookups go through indexes, also during a first import", () => {
  const { db } = tempDatabase();
  // What a first import into an empty database runs with (lib/store/sqlite-pipeline-store.ts).
  deferIndexes(db, Date.now());
  const TABLES = /^SCAN (Journey|JourneyQueue|JourneyHost|Delivery|Verdict|Training|DovecotStore)\b/;
  const { journeyIdByKey, deleteJourney, deleteChildren, releaseVerdicts, deleteTraining } = JOURNEY_SQL;
  const statements: [string, string][] = [
    ...Object.entries(LOOKUP_SQL),
    ["journeyIdByKey", journeyIdByKey],
    ["deleteJourney", deleteJourney],
    ["releaseVerdicts", releaseVerdicts],
    ["deleteTraining", deleteTraining],
    ...deleteChildren.map((sql, i): [string, string] => [`deleteChildren[${i}]`, sql]),
  ];
  for (const [name, sql] of statements) {
    test(name, () => {
      const parameters = sql.split("?").length - 1;
      const plan = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...Array(parameters).fill("x")) as {
        detail: string;
      }[];
      const scans = plan.map((row) => row.detail).filter((detail) => TABLES.test(detail));
      assert.deepEqual(scans, [], `${name} scans a table:\n${plan.map((row) => row.detail).join("\n")}`);
    });
  }
});
