// The query, report and storage tests run on both databases: the SQLite file a test file loaded,
// and a PostgreSQL copy of it (spamtrail migrate --copy-from's copy: the same rows and ids, so the
// same expectations hold). One copy per loaded database, made once and shared by the file's cases;
// on a machine where PostgreSQL cannot start, its cases are skipped with the reason.
import { after } from "node:test";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { openDatabase } from "../../lib/db/connection.ts";
import { postgresPool } from "../../lib/db/postgres.ts";
import { postgresPrismaFor, prismaFor } from "../../lib/db/prisma.ts";
import { copySqliteToPostgres } from "../../lib/store/postgres/copy-from-sqlite.ts";
import { migratedPostgresDatabase, postgresSkip } from "./postgres.ts";

export type TestDatabase = {
  /** "SQLite" or "PostgreSQL": for test names. */
  name: string;
  /** Why this database's cases are skipped (node:test's `skip`), or false. */
  skip: string | false;
  /** What `--db` and DATABASE_URL take: the file, or the URL. */
  target: string;
  /** Its Prisma client (PostgreSQL's has the same models: lib/db/read-client.ts). */
  prisma: PrismaClient;
};

/** The SQLite file, and its copy in a new PostgreSQL database (or a skipped stand-in without PostgreSQL). */
export async function bothDatabases(file: string): Promise<[TestDatabase, TestDatabase]> {
  const sqlite: TestDatabase = { name: "SQLite", skip: false, target: file, prisma: prismaFor(file) };
  const skip = await postgresSkip();
  if (skip) return [sqlite, { name: "PostgreSQL", skip, target: "", prisma: unavailable(skip) }];
  const url = await postgresCopy(file);
  const client = postgresPrismaFor(url);
  after(() => client.$disconnect());
  return [
    sqlite,
    { name: "PostgreSQL", skip: false, target: url, prisma: client as unknown as PrismaClient },
  ];
}

/** A new, migrated PostgreSQL database holding every row of the SQLite file; its URL. */
export async function postgresCopy(file: string): Promise<string> {
  const { url } = await migratedPostgresDatabase("copy");
  const db = openDatabase(file, { readonly: true });
  const pool = postgresPool(url, { max: 1 });
  const client = await pool.connect();
  try {
    await copySqliteToPostgres(db, client);
    // Fresh tables: the planner needs their statistics (as bench:web's copy does).
    await client.query("ANALYZE");
  } finally {
    client.release();
    await pool.end();
    db.close();
  }
  return url;
}

/** A client that is never used: its cases are skipped. */
function unavailable(reason: string): PrismaClient {
  return new Proxy({} as PrismaClient, {
    get: () => {
      throw new Error(`no PostgreSQL: ${reason}`);
    },
  });
}
