import { randomBytes } from "node:crypto";
import { after } from "node:test";
import pg from "pg";
import { migratePostgres } from "../../lib/db/migrate-postgres.ts";
import { postgresPool } from "../../lib/db/postgres.ts";
import { startPostgres } from "./pg-server.mjs";

type Server = { url: string } | { skip: string };
let server: Promise<Server> | undefined;

// tests/run.mjs starts one server for the whole run and passes it on; a test file run on its own
// (node --test …) starts its own, stopped when the file's tests are done.
function testServer(): Promise<Server> {
  server ??= (async (): Promise<Server> => {
    if (process.env.SPAMTRAIL_TEST_PG_SKIP) return { skip: process.env.SPAMTRAIL_TEST_PG_SKIP };
    if (process.env.SPAMTRAIL_TEST_PG_URL) return { url: process.env.SPAMTRAIL_TEST_PG_URL };
    const started = await startPostgres();
    if ("stop" in started) after(() => started.stop());
    return started;
  })();
  return server;
}

/** Why PostgreSQL tests are skipped here (the test's `skip` option), or false when a server runs. */
export async function postgresSkip(): Promise<string | false> {
  const found = await testServer();
  return "skip" in found ? found.skip : false;
}

/** The test server's URL (its superuser, database `postgres`): for tests that make databases themselves. */
export async function postgresServerUrl(): Promise<string> {
  const found = await testServer();
  if ("skip" in found) throw new Error(`no PostgreSQL: ${found.skip}`);
  return found.url;
}

/** A new, empty database on the test server; its URL. Each test gets its own, so they never see each other's rows. */
export async function freshPostgresDatabase(prefix = "t"): Promise<string> {
  const server = await postgresServerUrl();
  const name = `${prefix}_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(server);
  url.pathname = `/${name}`;
  return url.toString();
}

/** A fresh, migrated database with a pool on it, ended when the test file's tests are done. */
export async function migratedPostgresDatabase(prefix = "t"): Promise<{ url: string; pool: pg.Pool }> {
  const url = await freshPostgresDatabase(prefix);
  const pool = postgresPool(url);
  after(() => pool.end());
  await migratePostgres(pool);
  return { url, pool };
}
