import assert from "node:assert/strict";
import { test } from "node:test";
import type { Evidence } from "../lib/detect/types.ts";
import { FindingWriter, refreshFindings } from "../lib/store/finding-writer.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const evidence = (
  ref: string,
  ts: number,
  severity: Evidence["severity"],
  recipient = "bob@example.net",
): Evidence => ({
  kind: "duplicate-delivery",
  subject: { recipient },
  severity,
  ref,
  ts,
  messageId: `${ref}@example.net`,
  journeyKey: ref,
  users: [],
  recipients: [recipient],
  detail: {},
  lineIds: [1],
});

const findings = (db: ReturnType<typeof tempDatabase>["db"]) =>
  db.prepare("SELECT key, severity, count, firstSeen, lastSeen FROM Finding ORDER BY key").all();

test("findings moved by added evidence, in place, equal a recount of all their evidence", () => {
  const { db } = tempDatabase();
  let now = 1000;
  const writer = new FindingWriter(db, () => now);
  const batch = (work: () => void) => {
    db.transaction(() => {
      work();
      writer.flush();
    })();
    now += 1;
  };
  batch(() => {
    writer.replace(["j1"], [evidence("j1", 500, "low")]);
    writer.replace(["j2"], [evidence("j2", 300, "medium"), evidence("j2", 300, "low", "carol@example.net")]);
  });
  batch(() => writer.replace(["j3"], [evidence("j3", 900, "high")]));
  // j2 seen again: its evidence is replaced (a removal, then a recount).
  batch(() => writer.replace(["j2"], [evidence("j2", 320, "low")]));
  // j3 gone; a line's evidence without a ref cleared before.
  batch(() => {
    writer.replace(["j3"], []);
    writer.replace([], [evidence("line:7", 100, "medium")]);
  });
  const incremental = findings(db);
  const ids = db.prepare("SELECT id FROM Finding").pluck().all() as number[];
  db.transaction(() => refreshFindings(db, ids, now))();
  assert.deepEqual(incremental, findings(db));
  assert.deepEqual(incremental, [
    {
      key: "duplicate-delivery:bob@example.net",
      severity: "medium",
      count: 3,
      firstSeen: 100,
      lastSeen: 500,
    },
  ]);
});
