import path from "node:path";
import { readAndAudit, recordAudit } from "../../lib/audit/audit-configuration.ts";
import { runAudit } from "../../lib/audit/run-audit.ts";
import type { Db } from "../../lib/db/connection.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { prismaFor } from "../../lib/db/prisma.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { type SnapshotInput, saveConfigSnapshot } from "../../lib/store/config-snapshots.ts";
import { applyFix, LAB_CONFIG } from "../audit/configs.ts";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";
import { writeHostileLogs } from "./hostile-logs.ts";

/** A real SQLite file with the lab sample and the hostile copies of two of its messages ingested. */
export async function createFixtureDatabase(dir: string): Promise<string> {
  const file = path.join(dir, "e2e.db");
  const { db } = openAppDatabase(file);
  try {
    await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR });
    await ingestLogs(db, writeHostileLogs(path.join(dir, "hostile")), { year: LAB_YEAR });
    await storeConfigHistory(db, file);
  } finally {
    db.close();
    await prismaFor(file).$disconnect();
  }
  return file;
}

/**
 * Two configuration snapshots: the lab's own configuration before its traffic, and the same with
 * the alias-expansion-twice fix applied after it, so the Config page has a history to show.
 */
async function storeConfigHistory(db: Db, file: string) {
  const paths = [path.join(LAB_CONFIG, "etc"), path.join(LAB_CONFIG, "dspam")];
  const prisma = prismaFor(file);
  const before = await readAndAudit(paths, process.env);
  const save = (input: SnapshotInput) => saveConfigSnapshot(db, input);
  await recordAudit(before, { prisma, save, paths, now: Date.parse("2026-11-22T02:00:00Z") });
  const twice = before.results.find((r) => r.check === "alias-expansion-twice");
  if (!twice) throw new Error("the lab configuration lost its alias-expansion-twice result");
  const files = applyFix(before.read.files, twice.edits);
  const after = runAudit(files);
  // After the last line ingested (the hostile copies come later than the lab): no duplicates since the fix.
  const last = (db.prepare("SELECT MAX(lastTs) AS ts FROM Source").get() as { ts: number }).ts;
  await recordAudit(
    { read: { ...before.read, files }, audit: after, results: after.results },
    { prisma, save, paths, now: last + 60_000 },
  );
}
