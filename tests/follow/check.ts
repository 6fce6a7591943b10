import assert from "node:assert/strict";
import path from "node:path";
import type { Db } from "../../lib/db/connection.ts";
import { openAppDatabase } from "../../lib/db/open-app-database.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { LAB_YEAR } from "../helpers/fixtures.ts";
import { storedLines } from "../helpers/stored-lines.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import type { Entry } from "./lab-feed.ts";

/** Polls until `condition` holds (tests wait for the follower, never for a fixed time). */
export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export { lineCount } from "../helpers/stored-lines.ts";

const sortedCounts = (values: string[]) => {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
};

/**
 * The store holds exactly the lines written: each syslog line as often as it was written (no line
 * lost, none twice), each DSPAM record once (system.log and the user's log hold the same record).
 */
export function assertStoredExactly(db: Db, written: readonly Entry[]): void {
  assertLinesExactly(storedLines(db), written);
}

/** assertStoredExactly for lines read from any database. */
export function assertLinesExactly(
  lines: readonly { text: string; event: string }[],
  written: readonly Entry[],
): void {
  const rows = lines.map((line) => ({ raw: line.text, event: line.event }));
  const records = rows.filter((row) => row.event === "dspam.record");
  assert.deepEqual(
    sortedCounts(rows.filter((row) => row.event !== "dspam.record").map((row) => row.raw)),
    sortedCounts(written.filter((e) => !e.record).map((e) => e.text)),
    "every syslog line stored as often as it was written",
  );
  const recordTexts = new Set(written.filter((e) => e.record).map((e) => e.text.replace(/\n$/, "")));
  assert.equal(records.length, new Set(written.filter((e) => e.record).map((e) => e.record)).size);
  for (const record of records) assert.ok(recordTexts.has(record.raw), `written record: ${record.raw}`);
}

/** Journeys (with their queues, deliveries and verdicts), retrainings and findings, comparable across databases. */
export function outcome(db: Db) {
  const journeys = db
    .prepare(
      `SELECT j.key, j.messageId, j.origin, j.complete, j.verdict, j.delivered, j.filtered, j.sender,
         j.saslUsername, j.parentKey,
         (SELECT group_concat(queueId, ',') FROM
            (SELECT queueId FROM JourneyQueue q WHERE q.journeyId = j.id ORDER BY position)) AS queues,
         (SELECT group_concat(x, ';') FROM
            (SELECT recipient || ' ' || status || ' ' || destination || ' ' || queueId || ' ' || coalesce(folder, '') AS x
             FROM Delivery d WHERE d.journeyId = j.id ORDER BY x)) AS deliveries,
         (SELECT group_concat(x, ';') FROM
            (SELECT filterUser || ' ' || result AS x FROM Verdict v WHERE v.journeyId = j.id ORDER BY x)) AS verdicts
       FROM Journey j ORDER BY j.key`,
    )
    .all();
  const trainings = db
    .prepare(
      "SELECT key, login, filterUser, classifiedUser, direction, outcome, messageId FROM Training ORDER BY key",
    )
    .all();
  const findings = db.prepare("SELECT key, severity, count FROM Finding ORDER BY key").all();
  return { journeys, trainings, findings };
}

/** What a one-shot batch ingest of the same files makes of them. */
export async function batchOutcome(root: string) {
  const file = path.join(tempDir("spamtrail-batch-"), "batch.db");
  const { db } = openAppDatabase(file);
  try {
    await ingestLogs(db, [root], { year: LAB_YEAR });
    return outcome(db);
  } finally {
    db.close();
  }
}

/** Compares a follow database with a batch ingest of the same files: the same journeys, trainings and findings. */
export async function assertSameAsBatch(db: Db, root: string): Promise<void> {
  const followed = outcome(db);
  const batch = await batchOutcome(root);
  assert.ok(batch.journeys.length > 50, "the lab makes journeys");
  assert.deepEqual(followed.journeys, batch.journeys, "journeys equal a batch ingest");
  assert.deepEqual(followed.trainings, batch.trainings, "retrainings equal a batch ingest");
  assert.deepEqual(followed.findings, batch.findings, "findings equal a batch ingest");
}
