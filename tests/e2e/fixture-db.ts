import path from "node:path";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";
import { writeHostileLogs } from "./hostile-logs.ts";

/** A real SQLite file with the lab sample and the hostile copies of two of its messages ingested. */
export async function createFixtureDatabase(dir: string): Promise<string> {
  const file = path.join(dir, "e2e.db");
  const { db } = openAppDatabase(file);
  try {
    await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR });
    await ingestLogs(db, writeHostileLogs(path.join(dir, "hostile")), { year: LAB_YEAR });
  } finally {
    db.close();
  }
  return file;
}
