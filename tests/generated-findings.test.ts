// Findings on a generated server log (tests/bench/genlog) with its faults injected often: the
// detectors hold on other logs than the lab's, and agree with the generator's ground truth.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { before, describe, test } from "node:test";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { generateLogSet } from "./bench/generated-logs.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

type Truth = {
  params: { start: string };
  spam_verdicts: Record<"authenticated_port25" | "outgoing_local_scripts", { messages: number }>;
};

const logs = generateLogSet("findings-1500-s3-c50-d50", [
  "--messages",
  "1500",
  "--seed",
  "3",
  "--inject-faults",
  "a=0.05,b=0.2,c=0.5,d=0.5",
]);
const truth = JSON.parse(readFileSync(logs.truth, "utf8")) as Truth;
const { db } = tempDatabase();
type Row = { messageId: string; detail: string; deferred: number };
let evidence: (kind: string, where?: string) => Row[];

describe("findings on a generated log with injected faults", () => {
  before(async () => {
    await ingestLogs(db, [logs.mailLog, logs.syslog, logs.dspamDir], {
      year: Number(truth.params.start.slice(0, 4)),
    });
    evidence = (kind, where = "1") =>
      db
        .prepare(
          `SELECT e.messageId, e.detail,
             EXISTS (SELECT 1 FROM Delivery d JOIN Journey j ON j.id = d.journeyId
                     WHERE j.key = e.ref AND d.status = 'deferred' AND d.destination = 'external') AS deferred
           FROM FindingEvidence e JOIN Finding f ON f.id = e.findingId WHERE f.kind = ? AND ${where}`,
        )
        .all(kind) as Row[];
  });

  const messages = (rows: Row[]) => new Set(rows.map((r) => r.messageId)).size;
  const fates = (rows: Row[]) =>
    new Set(rows.flatMap((r) => (JSON.parse(r.detail) as { fates: string[] }).fates));

  test("every authenticated message on port 25 and every script's SMTP message DSPAM judged, as the generator counted", () => {
    assert.equal(
      messages(evidence("verdict-on-authenticated")),
      truth.spam_verdicts.authenticated_port25.messages,
    );
    assert.equal(
      messages(evidence("verdict-on-local", "json_extract(e.detail, '$.via') = 'smtp-localhost'")),
      truth.spam_verdicts.outgoing_local_scripts.messages,
    );
  });

  test("judged copies that bounced, and mail whose delivery was deferred, are evidence like delivered ones", () => {
    for (const kind of ["verdict-on-authenticated", "verdict-on-local", "verdict-on-outgoing"]) {
      const rows = evidence(kind);
      assert.ok(fates(rows).has("bounced"), `${kind}: a bounced copy`);
      assert.ok(fates(rows).has("delivered"), `${kind}: a delivered copy`);
      assert.ok(
        rows.some((r) => r.deferred === 1),
        `${kind}: a message whose delivery was deferred`,
      );
    }
  });
});
