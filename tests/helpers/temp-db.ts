import path from "node:path";
import { after } from "node:test";
import type { Db } from "../../lib/db/connection.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { tempDir } from "./temp-dir.ts";

/** A real, migrated SQLite file in a temporary directory; closed when the test file ends. */
export function tempDatabase(): { db: Db; file: string; dir: string } {
  const dir = tempDir("spamtrail-db-");
  const file = path.join(dir, "spamtrail.db");
  const { db } = openAppDatabase(file);
  after(() => {
    if (db.open) db.close();
  });
  return { db, file, dir };
}
