import { type Db, openDatabase } from "./connection.ts";
import { type Env, resolveDatabasePath } from "./database-url.ts";
import { migrate } from "./migrate.ts";

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
