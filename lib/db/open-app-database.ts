import { type Db, openDatabase } from "./connection.ts";
import { type DatabaseTarget, describeTarget, type Env, resolveDatabasePath } from "./database-url.ts";
import { migrate } from "./migrate.ts";
import { migratePostgres } from "./migrate-postgres.ts";
import { postgresPool } from "./postgres.ts";

/**
 * Opens (creating if needed) the database of --db/DATABASE_URL and applies pending migrations: every
 * CLI command and the server start here. A URL it cannot use is a DatabaseUrlError, before any file exists.
 */
export function openAppDatabase(
  explicitPath?: string,
  env: Env = process.env,
): { db: Db; path: string; applied: string[] } {
  const path = resolveDatabasePath(explicitPath, env);
  const db = openDatabase(path);
  const applied = migrate(db);
  return { db, path, applied };
}

/** Creates or updates the schema of either database (`spamtrail migrate`); returns the migrations applied. */
export async function migrateTarget(target: DatabaseTarget): Promise<string[]> {
  if (target.kind === "sqlite") {
    const { db, applied } = openAppDatabase(target.file);
    db.close();
    return applied;
  }
  const pool = postgresPool(target.url, { max: 1 });
  try {
    return await migratePostgres(pool, undefined, describeTarget(target));
  } finally {
    await pool.end();
  }
}
