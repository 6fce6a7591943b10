import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { Db } from "../lib/db/connection.ts";
import { deferIndexes, deferredUnsynced, hasDeferredIndexes } from "../lib/db/deferred-indexes.ts";
import { migrate } from "../lib/db/migrate.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { outcome } from "./follow/check.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { runKilledImport } from "./helpers/run-killed-import.ts";
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
    worker.db.exec(`INSERT INTO JourneyText (JourneyText, rank) VALUES ('integrity-check', 1)`);
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

  // The write thread commits several batches at once: a failing statement, or a failing commit (a
  // deferred foreign key is checked at COMMIT), takes back every batch written since the last one.
  const failures = [
    {
      what: "a statement",
      sql: (at: number) =>
        `CREATE TRIGGER fail BEFORE INSERT ON LineKey WHEN (SELECT count(*) FROM LineKey) >= ${at}
         BEGIN SELECT RAISE(ABORT, 'no room left (test)'); END`,
      error: /no room left \(test\)/,
    },
    {
      what: "a commit",
      sql: (at: number) =>
        `CREATE TABLE Owner (id INTEGER PRIMARY KEY);
         CREATE TABLE Owned (owner INTEGER REFERENCES Owner (id) DEFERRABLE INITIALLY DEFERRED);
         CREATE TRIGGER fail AFTER INSERT ON LineKey WHEN (SELECT count(*) FROM LineKey) = ${at}
         BEGIN INSERT INTO Owned VALUES (1); END`,
      error: /FOREIGN KEY constraint failed/,
    },
  ];
  for (const failure of failures)
    test(`${failure.what} that fails takes back what was written since the last commit; each file's saved counts are of its stored lines, and the next import ends with what one import stores`, async () => {
      const { db } = tempDatabase();
      const all = storedLines(main.db).length;
      const limit = Math.floor(all * 0.6);
      db.exec(failure.sql(limit));
      const options = { year: LAB_YEAR, writeThread: "worker", batchLines: 40 } as const;
      await assert.rejects(ingestLogs(db, [LAB_LOGS], options), failure.error);
      const kept = storedLines(db);
      assert.ok(kept.length > 0 && kept.length < limit, `${kept.length} lines kept of ${all}`);
      // Each file's counters were saved with its lines: those it found new are the ones stored.
      const sources = db.prepare("SELECT id, linesNew FROM Source").all() as {
        id: number;
        linesNew: number;
      }[];
      for (const { id, linesNew } of sources)
        assert.equal(kept.filter((line) => line.sourceId === id).length, linesNew, `source ${id}`);
      db.exec("DROP TRIGGER fail");
      await ingestLogs(db, [LAB_LOGS], options);
      assert.deepEqual(outcome(db), outcome(main.db));
      assert.deepEqual(storedLines(db), storedLines(main.db));
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

describe("a later import on a write thread writes the search words itself, with the triggers dropped", () => {
  const MAIL = [path.join(LAB_LOGS, "var/log/mail.log"), path.join(LAB_LOGS, "var/log/syslog")];
  const DSPAM = [path.join(LAB_LOGS, "var/spool/dspam")];
  const mailOnly = () => {
    // The maillog without Dovecot's lines, and Dovecot's lines apart: each store of the later run
    // completes a stored delivery (the journey is written again).
    const dir = tempDir("spamtrail-words-later-");
    const lines = readFileSync(MAIL[0] as string, "utf8")
      .split("\n")
      .filter(Boolean);
    const isDovecot = (line: string) => / dovecot(?:\[\d+\])?: /.test(line);
    writeFileSync(path.join(dir, "mail.log"), `${lines.filter((line) => !isDovecot(line)).join("\n")}\n`);
    writeFileSync(path.join(dir, "dovecot.log"), `${lines.filter(isDovecot).join("\n")}\n`);
    return {
      first: [path.join(dir, "mail.log"), MAIL[1] as string, ...DSPAM],
      later: [path.join(dir, "dovecot.log")],
    };
  };
  const rotated = () => {
    // The maillog cut in the middle, as a rotation cuts it: mail still in flight when the first run
    // ends is written as it stands ("queued", "in-progress"), then finished by the later run.
    const dir = tempDir("spamtrail-words-rotated-");
    const lines = readFileSync(MAIL[0] as string, "utf8")
      .split("\n")
      .filter(Boolean);
    const half = Math.floor(lines.length / 2);
    writeFileSync(path.join(dir, "mail.log.1"), `${lines.slice(0, half).join("\n")}\n`);
    writeFileSync(path.join(dir, "mail.log"), `${lines.slice(half).join("\n")}\n`);
    return {
      first: [path.join(dir, "mail.log.1")],
      later: [path.join(dir, "mail.log"), MAIL[1] as string, ...DSPAM],
    };
  };
  const cases: [string, () => { first: string[]; later: string[] }, number | undefined][] = [
    ["the maillog cut in the middle: the later run finishes what was in flight", rotated, undefined],
    [
      "the maillog first, DSPAM's logs later (journeys let go after 1 s: the later run rewrites them)",
      () => ({ first: MAIL, later: DSPAM }),
      1000,
    ],
    ["DSPAM's logs first, the maillog later", () => ({ first: DSPAM, later: MAIL }), undefined],
    ["Dovecot's lines later: each completes a stored delivery", mailOnly, undefined],
  ];
  for (const [label, runs, graceMs] of cases)
    test(label, async () => {
      const { first, later } = runs();
      const byTriggers = tempDatabase();
      const byBatches = tempDatabase();
      const options = { year: LAB_YEAR, batchLines: 300, graceMs };
      for (const paths of [first, later]) {
        await ingestLogs(byTriggers.db, paths, { ...options, writeThread: "main" });
        await ingestLogs(byBatches.db, paths, { ...options, writeThread: "worker" });
        // The triggers are back once the run is over, and nothing is left noted as deferred.
        assert.deepEqual(triggers(byBatches.db), triggers(byTriggers.db));
        assert.equal(hasDeferredIndexes(byBatches.db), false);
      }
      assert.deepEqual(outcome(byBatches.db), outcome(byTriggers.db));
      assert.deepEqual(searchWords(byBatches.db), searchWords(byTriggers.db));
      // The full-text index agrees with its journeys as they are now (this raises otherwise), and finds the same.
      byBatches.db.exec(`INSERT INTO JourneyText (JourneyText, rank) VALUES ('integrity-check', 1)`);
      for (const word of ["example", "mail", "meeting"]) {
        assert.ok(textMatches(byTriggers.db, word).length > 0, word);
        assert.deepEqual(textMatches(byBatches.db, word), textMatches(byTriggers.db, word));
      }
    });

  test("killed (SIGKILL) while its write thread writes: the next import creates the triggers again, and every word is there", async () => {
    const { first, later } = rotated();
    const whole = tempDatabase();
    const killed = tempDatabase();
    const options = { year: LAB_YEAR, batchLines: 100, writeThread: "worker" } as const;
    for (const paths of [first, later]) await ingestLogs(whole.db, paths, options);
    await ingestLogs(killed.db, first, options);
    const child = runKilledImport(killed.file, 3, later);
    assert.equal(child.signal, "SIGKILL", `${child.stdout}${child.stderr}`);
    // Dropped and noted; a later import waits for the disk, so the file need not be checked.
    assert.ok(hasDeferredIndexes(killed.db));
    assert.ok(!triggers(killed.db).includes("SearchTerm_journey_insert"));
    assert.equal(deferredUnsynced(killed.db), false);

    await ingestLogs(killed.db, later, options);
    assert.equal(hasDeferredIndexes(killed.db), false);
    assert.deepEqual(triggers(killed.db), triggers(whole.db));
    assert.deepEqual(outcome(killed.db), outcome(whole.db));
    assert.deepEqual(searchWords(killed.db), searchWords(whole.db));
    killed.db.exec(`INSERT INTO JourneyText (JourneyText, rank) VALUES ('integrity-check', 1)`);
    assert.deepEqual(textMatches(killed.db, "meeting"), textMatches(whole.db, "meeting"));
  });
});
