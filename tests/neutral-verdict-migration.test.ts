import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { openDatabase } from "../lib/db/connection.ts";
import { listMigrations, migrate, migrationsDir } from "../lib/db/migrate.ts";
import { migratePostgres } from "../lib/db/migrate-postgres.ts";
import { postgresPool } from "../lib/db/postgres.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { dspamClassLetter } from "../lib/parsers/dspam-record.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { freshPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { tempDatabase } from "./helpers/temp-db.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const NEUTRAL = "20261206200142_neutral_verdict";
type Row = Record<string, unknown>;

// The lab as the current Spamtrail stores it: the reference the migrated rows must equal.
const reference = tempDatabase();
await ingestLogs(reference.db, [LAB_LOGS], { year: LAB_YEAR });
const all = (table: string) => reference.db.prepare(`SELECT * FROM "${table}" ORDER BY id`).all() as Row[];
const verdicts = all("Verdict");
const trainings = all("Training");

describe("verdicts and trainings stored before they named their filter", () => {
  test("the lab's rows keep their meaning: DSPAM's user and class name in filterUser and result", () => {
    assert.ok(verdicts.length > 0 && trainings.length > 0);
    const file = path.join(tempDir("spamtrail-old-"), "old.db");
    const old = openDatabase(file);
    migrate(
      old,
      listMigrations().filter((m) => m.name < NEUTRAL),
    );
    // What the older Spamtrail wrote: the same journeys, with DSPAM's own columns.
    old.exec(`ATTACH '${reference.file}' AS ref`);
    old.exec(`INSERT INTO Journey SELECT * FROM ref.Journey`);
    const deliveryColumns = (old.prepare(`PRAGMA table_info(Delivery)`).all() as { name: string }[])
      .map((c) => `"${c.name}"`)
      .join(", ");
    old.exec(`INSERT INTO Delivery (${deliveryColumns}) SELECT ${deliveryColumns} FROM ref.Delivery`);
    old.exec(`DETACH ref`);
    const insertVerdict = old.prepare(
      `INSERT INTO Verdict (id, journeyId, ts, dspamUser, dspamClass, className, signature, status, "from", subject, messageId, queueId, lineId)
       VALUES (@id, @journeyId, @ts, @filterUser, @letter, @result, @signature, @status, @from, @subject, @messageId, @queueId, @lineId)`,
    );
    for (const v of verdicts) insertVerdict.run({ ...v, letter: dspamClassLetter(String(v.result)) });
    const insertTraining = old.prepare(
      `INSERT INTO Training (id, key, ts, host, login, dspamUser, classifiedUser, signature, messageId, journeyId, direction, outcome, reason, fromMailbox, toMailbox, lines)
       VALUES (@id, @key, @ts, @host, @login, @filterUser, @classifiedUser, @signature, @messageId, @journeyId, @direction, @outcome, @reason, @fromMailbox, @toMailbox, @lines)`,
    );
    for (const t of trainings) insertTraining.run(t);
    // An import that died with its indexes deferred noted the old verdict index among them.
    old.exec(`DROP INDEX "Delivery_recipient_idx"`);
    old
      .prepare(`INSERT INTO Setting (key, value, updatedAt) VALUES ('deferred-indexes', ?, 0)`)
      .run(
        JSON.stringify([
          `CREATE INDEX "Verdict_dspamUser_ts_idx" ON "Verdict"("dspamUser", "ts")`,
          `CREATE INDEX "Delivery_recipient_idx" ON "Delivery"("recipient")`,
        ]),
      );

    assert.deepEqual(migrate(old), [
      NEUTRAL,
      ...listMigrations()
        .filter((m) => m.name > NEUTRAL)
        .map((m) => m.name),
    ]);
    const migrated = (table: string) => old.prepare(`SELECT * FROM "${table}" ORDER BY id`).all() as Row[];
    assert.deepEqual(migrated("Verdict"), verdicts);
    assert.deepEqual(migrated("Training"), trainings);
    assert.deepEqual(migrated("Delivery"), all("Delivery"));
    assert.ok(verdicts.every((v) => v.filter === "dspam" && v.action === null && v.score === null));
    const indexes = old.prepare(`SELECT name FROM sqlite_master WHERE type = 'index'`).pluck().all();
    assert.ok(indexes.includes("Delivery_recipient_idx"), "the other deferred index was built");
    assert.ok(indexes.includes("Verdict_filterUser_ts_idx"));
    assert.equal(old.prepare(`SELECT count(*) FROM Setting WHERE key = 'deferred-indexes'`).pluck().get(), 0);
    old.close();
  });
});

const skip = await postgresSkip();

describe("the same on PostgreSQL", { skip }, () => {
  test("a verdict and a training of the lab keep their user, class name and key", async () => {
    const url = await freshPostgresDatabase();
    const pool = postgresPool(url);
    try {
      const before = listMigrations(migrationsDir("postgresql")).filter((m) => m.name < NEUTRAL);
      await migratePostgres(pool, before);
      const v = verdicts.find((row) => row.signature !== null) as Row;
      const t = trainings.find((row) => row.filterUser !== null) as Row;
      await pool.query(
        `INSERT INTO "Verdict" ("ts", "dspamUser", "dspamClass", "className", "signature", "status", "lineId")
         VALUES (to_timestamp($1 / 1000.0), $2, $3, $4, $5, $6, $7)`,
        [v.ts, v.filterUser, dspamClassLetter(String(v.result)), v.result, v.signature, v.status, v.lineId],
      );
      await pool.query(
        `INSERT INTO "Training" ("key", "ts", "login", "dspamUser", "classifiedUser", "direction", "outcome", "lines")
         VALUES ($1, to_timestamp($2 / 1000.0), $3, $4, $5, $6, $7, $8)`,
        [t.key, t.ts, t.login, t.filterUser, t.classifiedUser, t.direction, t.outcome, t.lines],
      );
      assert.equal((await migratePostgres(pool))[0], NEUTRAL);
      const verdict = (await pool.query(`SELECT * FROM "Verdict"`)).rows[0];
      assert.deepEqual(
        [
          verdict.filter,
          verdict.filterUser,
          verdict.result,
          verdict.action,
          verdict.score,
          verdict.signature,
        ],
        ["dspam", v.filterUser, v.result, null, null, v.signature],
      );
      const training = (await pool.query(`SELECT * FROM "Training"`)).rows[0];
      assert.deepEqual(
        [training.key, training.filter, training.filterUser, training.classifiedUser],
        [t.key, "dspam", t.filterUser, t.classifiedUser],
      );
    } finally {
      await pool.end();
    }
  });
});
