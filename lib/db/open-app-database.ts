import { resolveDatabasePath } from "../core/paths.ts";
import { type Db, openDatabase } from "./connection.ts";
import { migrate } from "./migrate.ts";

/** Opens (creating if needed) the database and applies pending migrations: every CLI command and the server start here. */
export function openAppDatabase(explicitPath?: string): { db: Db; path: string; applied: string[] } {
  const path = resolveDatabasePath(explicitPath);
  const db = openDatabase(path);
  const applied = migrate(db);
  return { db, path, applied };
}
