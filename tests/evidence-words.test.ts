// A finding page's evidence in people's words (components/findings/evidence-words.ts): every fact
// every detector stores for the lab sample, read back as the page shows it.
import assert from "node:assert/strict";
import { test } from "node:test";
import { describeEvidenceDetail, describeEvidenceRef } from "../components/findings/evidence-words.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const lab = tempDatabase();
await ingestLogs(lab.db, [LAB_LOGS], { year: LAB_YEAR });
const evidence = lab.db
  .prepare("SELECT f.kind, e.ref, e.detail FROM FindingEvidence e JOIN Finding f ON f.id = e.findingId")
  .all() as { kind: string; ref: string; detail: string | null }[];

test("no internal keys, objects or epoch milliseconds in any finding's evidence", () => {
  const kinds = new Set(evidence.map((e) => e.kind));
  assert.ok(kinds.size >= 6, [...kinds].join(", "));
  for (const e of evidence) {
    const { facts, notes } = describeEvidenceDetail(JSON.parse(e.detail ?? "{}"));
    const text = [
      ...facts.map((f) => `${f.label}: ${f.value}`),
      ...notes,
      describeEvidenceRef(e.ref).text,
    ].join("\n");
    assert.doesNotMatch(
      text,
      /\[object Object\]|\b1[7-9]\d{11}\b|[a-z][A-Z]|smtp-localhost|dspam-user:/,
      `${e.kind}: ${text}`,
    );
  }
});

test("a duplicate delivery says which address got how many copies, and the address written", () => {
  const duplicate = evidence.find(
    (e) => e.kind === "duplicate-delivery" && e.detail?.includes("bob@example.com"),
  );
  assert.ok(duplicate);
  const fact = describeEvidenceDetail(JSON.parse(duplicate.detail ?? "{}")).facts.find(
    (f) => f.label === "delivered more than once",
  );
  assert.match(
    fact?.value ?? "",
    /^[^ ]+@[^ ]+: \d+ copies \(queues [0-9A-F]+, [0-9A-F]+(, written to .*bob@example\.com.*)?\)/,
  );
});
