import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { listMigrations, MigrationError, migrationsDir } from "../lib/db/migrate.ts";
import { migratePostgres } from "../lib/db/migrate-postgres.ts";
import { postgresPool } from "../lib/db/postgres.ts";
import { forDialect, wordCandidates } from "../lib/queries/dialect.ts";
import { freshPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { runCli } from "./helpers/run-cli.ts";

const skip = await postgresSkip();
const MIGRATIONS = listMigrations(migrationsDir("postgresql"));

async function tables(url: string): Promise<string[]> {
  const pool = postgresPool(url);
  try {
    const { rows } = await pool.query<{ name: string }>(
      "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1",
    );
    return rows.map((row) => row.name);
  } finally {
    await pool.end();
  }
}

describe("migrations on PostgreSQL", { skip }, () => {
  test("spamtrail migrate --db postgresql://… creates the schema, then finds it up to date", async () => {
    const url = await freshPostgresDatabase();
    const shown = url; // no password on the test server
    const first = await runCli(["migrate", "--db", url]);
    assert.equal(first.code, 0, first.stderr);
    assert.equal(
      first.stdout,
      `${shown}: applied ${MIGRATIONS.length} migration(s): ${MIGRATIONS.map((m) => m.name).join(", ")}\n`,
    );
    const names = await tables(url);
    for (const table of ["Source", "LineKey", "LineBlock", "Journey", "Finding", "_prisma_migrations"]) {
      assert.ok(names.includes(table), `${table} in ${names.join(", ")}`);
    }
    const second = await runCli(["migrate"], "", { ...process.env, DATABASE_URL: url });
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout, `${shown}: up to date\n`);
  });

  test("two followers starting at once: one applies the migrations, the other waits and finds them applied", async () => {
    const url = await freshPostgresDatabase();
    const pools = [postgresPool(url), postgresPool(url)];
    try {
      const applied = await Promise.all(pools.map((pool) => migratePostgres(pool)));
      assert.deepEqual(applied.map((names) => names.length).sort(), [0, MIGRATIONS.length]);
    } finally {
      await Promise.all(pools.map((pool) => pool.end()));
    }
  });

  test("a failing migration is rolled back whole, recorded, and blocks the next start", async () => {
    const url = await freshPostgresDatabase();
    const pool = postgresPool(url);
    try {
      const bad = {
        name: "29990101000000_broken",
        sql: Buffer.from('CREATE TABLE "Half" ("id" INTEGER);\nSELECT no_such_function();\n'),
      };
      await assert.rejects(migratePostgres(pool, [...MIGRATIONS, bad]), (error: Error) => {
        assert.ok(error instanceof MigrationError);
        assert.match(error.message, /^29990101000000_broken: function no_such_function\(\) does not exist$/);
        return true;
      });
      assert.equal((await tables(url)).includes("Half"), false);
      await assert.rejects(
        migratePostgres(pool, [...MIGRATIONS, bad]),
        /failed earlier and blocks the others/,
      );
    } finally {
      await pool.end();
    }
  });

  test("a server that cannot be reached: one line naming it without its password, exit 1", async () => {
    const { code, stdout, stderr } = await runCli([
      "migrate",
      "--db",
      "postgresql://spam:secret@127.0.0.1:1/spamtrail",
    ]);
    assert.equal(code, 1);
    assert.equal(stdout, "");
    assert.match(
      stderr,
      /^spamtrail migrate: cannot use PostgreSQL at postgresql:\/\/spam:\*\*\*@127\.0\.0\.1:1\/spamtrail: connect ECONNREFUSED 127\.0\.0\.1:1\n$/,
    );
  });

  test("the word search's trigram indexes exist and answer the search's own SQL (pg_trgm)", async () => {
    const url = await freshPostgresDatabase();
    const pool = postgresPool(url);
    try {
      await migratePostgres(pool);
      const { rows } = await pool.query<{ name: string }>(
        `SELECT indexname AS name FROM pg_indexes WHERE tablename = 'Journey' AND indexname LIKE '%_words' ORDER BY 1`,
      );
      assert.deepEqual(
        rows.map((row) => row.name),
        ["Journey_messageId_words", "Journey_subject_words"],
      );
      // The planner must be able to use them for the expression the search writes (an empty table
      // would be read whole anyway: sequential scans are ruled out to see what it can use).
      for (const column of ["messageId", "subject"] as const) {
        const { sql, params } = wordCandidates("postgresql", ["invoice", "2024"], column);
        const client = await pool.connect();
        try {
          await client.query("SET enable_seqscan = off");
          const plan = await client.query<{ "QUERY PLAN": string }>(
            `EXPLAIN ${forDialect("postgresql", sql)}`,
            params,
          );
          const text = plan.rows.map((row) => row["QUERY PLAN"]).join("\n");
          assert.match(text, new RegExp(`Bitmap Index Scan on "Journey_${column}_words"`), text);
        } finally {
          client.release();
        }
      }
    } finally {
      await pool.end();
    }
  });
});
