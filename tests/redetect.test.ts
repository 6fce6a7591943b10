// An upgrade whose detectors group findings differently: the next ingest detects the stored
// journeys again, and findings of the old grouping disappear unless someone decided about them.
import assert from "node:assert/strict";
import { test } from "node:test";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

test("findings written by older detectors are detected again from the stored journeys", async () => {
  const { db } = tempDatabase();
  await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR });
  const keys = () =>
    (db.prepare("SELECT key FROM Finding ORDER BY key").pluck().all() as string[]).join("\n");
  const current = keys();
  // What the previous version stored: one finding per sender, and the detectors' version before this one.
  const journey = db
    .prepare(
      "SELECT j.key FROM Journey j JOIN FindingEvidence e ON e.ref = j.key JOIN Finding f ON f.id = e.findingId WHERE f.key = 'verdict-on-local:sendmail'",
    )
    .pluck()
    .get() as string;
  const insertOld = (key: string) =>
    db
      .prepare(
        `INSERT INTO Finding (key, kind, severity, subject, count, firstSeen, lastSeen, updatedAt)
         VALUES (?, 'verdict-on-local', 'medium', '{"via":"sendmail","from":"root@mail.example.com"}', 1, 0, 0, 0) RETURNING id`,
      )
      .pluck()
      .get(key) as number;
  for (const [key, audited] of [
    ["verdict-on-local:sendmail/root@mail.example.com", false],
    ["verdict-on-local:sendmail/cron@mail.example.com", true],
  ] as const) {
    const id = insertOld(key);
    db.prepare(
      `INSERT INTO FindingEvidence (findingId, ref, ts, severity, users, recipients, detail, lineIds)
       VALUES (?, ?, 0, 'medium', '[]', '[]', '{}', '[]')`,
    ).run(id, journey);
    if (audited)
      db.prepare(
        "INSERT INTO FindingAudit (findingId, action, actor, at) VALUES (?, 'acknowledge', 'admin', 0)",
      ).run(id);
  }
  db.prepare("UPDATE Setting SET value = '1' WHERE key = 'detectors'").run();

  await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR });
  assert.equal(
    keys(),
    [...current.split("\n"), "verdict-on-local:sendmail/cron@mail.example.com"].sort().join("\n"),
    "the old finding without a decision is gone; the acknowledged one stays, with its audit trail",
  );
  assert.equal(
    db
      .prepare("SELECT count FROM Finding WHERE key = 'verdict-on-local:sendmail/cron@mail.example.com'")
      .pluck()
      .get(),
    0,
  );
  assert.equal(db.prepare("SELECT value FROM Setting WHERE key = 'detectors'").pluck().get(), "2");
});
