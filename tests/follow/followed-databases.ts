// The databases a follow test's follower writes to, so that one scenario runs on both: a new SQLite
// file, and a new migrated PostgreSQL database (skipped with its reason where PostgreSQL cannot start).
import assert from "node:assert/strict";
import path from "node:path";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { ingestedState, ingestedStatePostgres } from "../helpers/db-state.ts";
import { LAB_YEAR } from "../helpers/fixtures.ts";
import { migratedPostgresDatabase } from "../helpers/postgres.ts";
import { lineCountPostgres, storedLinesPostgres } from "../helpers/stored-lines.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { assertLinesExactly, assertSameAsBatch, assertStoredExactly, lineCount } from "./check.ts";
import type { Entry } from "./lab-feed.ts";

/** One database a follower writes to, and what the tests ask of it. */
export type FollowedDatabase = {
  /** What tests/follow/follow-child.ts takes: the file, or the URL. */
  target: string;
  lineCount(): Promise<number>;
  /** Exactly the lines written are stored, and what follow made of them equals a batch ingest of `root`. */
  assertAsWritten(written: readonly Entry[], root: string): Promise<void>;
  close(): void;
};

export type FollowedDatabaseKind = {
  /** "SQLite" or "PostgreSQL": for test names. */
  name: string;
  /** Why this database's cases are skipped (node:test's `skip`), or false. */
  skip: string | false;
  open(): Promise<FollowedDatabase>;
};

/** SQLite, and PostgreSQL unless `postgresSkip` (tests/helpers/postgres.ts) says why not. */
export function followedDatabases(postgresSkip: string | false): FollowedDatabaseKind[] {
  return [
    { name: "SQLite", skip: false, open: openSqlite },
    { name: "PostgreSQL", skip: postgresSkip, open: openPostgres },
  ];
}

async function openSqlite(): Promise<FollowedDatabase> {
  const file = path.join(tempDir("spamtrail-db-"), "follow.db");
  const { db } = openAppDatabase(file);
  return {
    target: file,
    lineCount: async () => lineCount(db),
    async assertAsWritten(written, root) {
      assertStoredExactly(db, written);
      await assertSameAsBatch(db, root);
    },
    close: () => db.close(),
  };
}

async function openPostgres(): Promise<FollowedDatabase> {
  // Its pool ends with the test file's tests (migratedPostgresDatabase).
  const { url, pool } = await migratedPostgresDatabase();
  return {
    target: url,
    lineCount: () => lineCountPostgres(pool),
    async assertAsWritten(written, root) {
      assertLinesExactly(await storedLinesPostgres(pool), written);
      assert.deepEqual(await ingestedStatePostgres(pool), await batchState(root));
    },
    close: () => undefined,
  };
}

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
