import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { Db } from "../lib/db/connection.ts";
import { deferIndexes, hasDeferredIndexes } from "../lib/db/deferred-indexes.ts";
import { migrate } from "../lib/db/migrate.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { outcome } from "./follow/check.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { storedLines } from "./helpers/stored-lines.ts";
import { tempDatabase } from "./helpers/temp-db.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const indexes = (db: Db) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' ORDER BY name").pluck().all() as string[];
const triggers = (db: Db) =>
  db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").pluck().all() as string[];
// The message search's words, by journey key (what the search triggers keep).
const searchWords = (db: Db) =>
  db
    .prepare(
      `SELECT s.field, s.term, j.key FROM SearchTerm s JOIN Journey j ON j.id = s.journeyId ORDER BY 1, 2, 3`,
    )
    .all();
const textMatches = (db: Db, word: string) =>
  db
    .prepare(
      `SELECT j.key FROM JourneyText t JOIN Journey j ON j.id = t.rowid WHERE JourneyText MATCH ? ORDER BY 1`,
    )
    .pluck()
    .all(word);

describe("ingest on a write thread (what big inputs use)", () => {
  const main = tempDatabase();
  const worker = tempDatabase();

  test("stores and follows exactly what writing on the main thread does", async () => {
    const options = { year: LAB_YEAR, batchLines: 300 };
    const a = await ingestLogs(main.db, [LAB_LOGS], { ...options, writeThread: "main" });
    const b = await ingestLogs(worker.db, [LAB_LOGS], { ...options, writeThread: "worker" });
    assert.deepEqual(b.totals, a.totals);
    assert.deepEqual(b.correlation, a.correlation);
    assert.deepEqual(outcome(worker.db), outcome(main.db));
    assert.deepEqual(storedLines(worker.db), storedLines(main.db));
  });

  test("a first import builds the dashboard's indexes and search words at its end: the schema is whole again", () => {
    assert.deepEqual(indexes(worker.db), indexes(main.db));
    assert.deepEqual(triggers(worker.db), triggers(main.db));
    assert.ok(triggers(worker.db).includes("SearchTerm_delivery_insert"));
    const words = searchWords(main.db);
    assert.ok(words.length > 100, `${words.length} search words`);
    assert.deepEqual(searchWords(worker.db), words);
    // The full-text index agrees with its journeys (this raises otherwise), and finds the same.
    worker.db.exec(`INSERT INTO JourneyText (JourneyText) VALUES ('integrity-check')`);
    for (const word of ["example", "mail", "meeting"]) {
      assert.ok(textMatches(main.db, word).length > 0, word);
      assert.deepEqual(textMatches(worker.db, word), textMatches(main.db, word));
    }
    assert.ok(indexes(worker.db).includes("Delivery_recipient_idx"));
    assert.equal(hasDeferredIndexes(worker.db), false);
  });

  test("a write that fails stops the ingest with its reason; the indexes are built all the same", async () => {
    const { db } = tempDatabase();
    db.exec(
      `CREATE TRIGGER fail BEFORE INSERT ON Journey BEGIN SELECT RAISE(ABORT, 'no room left (test)'); END`,
    );
    await assert.rejects(
      ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR, writeThread: "worker" }),
      /no room left \(test\)/,
    );
    assert.deepEqual(indexes(db), indexes(main.db));
    assert.equal(hasDeferredIndexes(db), false);
  });

  test("indexes an import left deferred (it died) are built by the next writer, and before a migration", async () => {
    const next = tempDatabase();
    deferIndexes(next.db, Date.now());
    assert.ok(!indexes(next.db).includes("Delivery_recipient_idx"));
    assert.ok(hasDeferredIndexes(next.db));
    const log = path.join(tempDir(), "mail.log");
    writeFileSync(log, "Nov 22 03:26:56 mail postfix/smtpd[29256]: connect from localhost[127.0.0.1]\n");
    await ingestLogs(next.db, [log], { year: LAB_YEAR, writeThread: "main" });
    assert.deepEqual(indexes(next.db), indexes(main.db));
    assert.deepEqual(triggers(next.db), triggers(main.db));

    const migrating = tempDatabase();
    deferIndexes(migrating.db, Date.now());
    migrate(migrating.db, [
      { name: "99991231000000_later", sql: Buffer.from(`CREATE TABLE "Later" ("id" INTEGER);`) },
    ]);
    assert.ok(indexes(migrating.db).includes("Delivery_recipient_idx"));
    assert.deepEqual(triggers(migrating.db), triggers(main.db));
    assert.equal(hasDeferredIndexes(migrating.db), false);
  });
});
