// A temporary database holding the lab sample, optionally with the hostile lines (hostile-lines.ts).
import path from "node:path";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";
import { tempDatabase } from "../helpers/temp-db.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { writeHostileLogs, writeNextWeekLogs } from "./hostile-lines.ts";

/** Ingests the lab sample (and the hostile lines, or a message a week later, when asked) into a fresh database; returns its file. */
export async function labDatabase(options: { hostile?: boolean; nextWeek?: boolean } = {}): Promise<string> {
  const { db, file } = tempDatabase();
  const paths = [LAB_LOGS];
  if (options.hostile) paths.push(writeHostileLogs(path.join(tempDir("spamtrail-hostile-"), "logs")));
  if (options.nextWeek) paths.push(writeNextWeekLogs(path.join(tempDir("spamtrail-later-"), "logs")));
  await ingestLogs(db, paths, { year: LAB_YEAR });
  db.close();
  return file;
}
