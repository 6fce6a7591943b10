import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { MessageJson } from "../lib/cli/message-json.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { bare, labTruth } from "./helpers/lab-truth.ts";
import { runCli } from "./helpers/run-cli.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const truth = labTruth();
const { db, file } = tempDatabase();

async function message(id: string): Promise<MessageJson | null> {
  const { code, stdout, stderr } = await runCli(["message", "--db", file, "--json", id]);
  if (code === 1 && stderr.includes("no message")) return null;
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as MessageJson;
}

const sorted = (values: string[]) => [...values].sort();
function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}

describe("the lab sample, message by message, against truth.json", () => {
  before(async () => {
    await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR });
  });

  for (const expected of truth.messages) {
    test(`${expected.key} (${expected.origin_class})`, async () => {
      const got = await message(bare(expected.message_id));
      if (expected.postfix_queue_ids.length === 0) {
        assert.equal(got, null, "rejected before queueing: no journey");
        return;
      }
      assert.ok(got, "journey found by Message-ID");
      assert.deepEqual(
        sorted(got.queueIds),
        sorted(expected.postfix_queue_ids),
        "every Postfix queue id, nothing else",
      );
      const delivered = got.deliveries
        .filter((d) => d.status === "sent")
        .map((d) => d.recipient.toLowerCase());
      assert.deepEqual(countBy(delivered), expected.actual_receipt_counts, "one delivery per copy received");
      const classifiedDelivered = got.verdicts
        .filter((v) => v.deliveredCopies > 0)
        .map((v) => v.user ?? "(global)");
      assert.deepEqual(
        sorted([...new Set(classifiedDelivered)]),
        sorted(expected.dspam_classification_users),
      );
      for (const queueId of expected.postfix_queue_ids) {
        const byQueue = await message(queueId);
        assert.equal(byQueue?.messageId, bare(expected.message_id), `found by queue id ${queueId}`);
      }
      const wantTrainings = truth.imap_training.filter(
        (t) => t.message_id === expected.message_id && t.training_aimed_at_dspam_user,
      );
      assert.deepEqual(
        got.trainings.map((t) => [t.login, t.user, t.classifiedUser, t.direction, t.outcome]).sort(),
        wantTrainings
          .map((t) => [
            t.imap_login,
            t.training_aimed_at_dspam_user,
            t.classification_dspam_user,
            t.direction?.startsWith("into Junk") ? "spam" : "innocent",
            t.took_effect_on_classification_user ? "applied" : "failed",
          ])
          .sort(),
        "every retraining of this message, with its outcome",
      );
    });
  }

  test("the sender of the lines: every line of a journey comes with its source file and line number", async () => {
    const got = await message(bare(truth.messages[0]?.message_id ?? ""));
    assert.ok(got && got.lines.length >= 10);
    for (const line of got.lines) {
      assert.match(line.source, /lab-double-expansion\/logs\//);
      assert.ok(line.lineNo > 0);
    }
  });

  test("links say how each hop was made: DSPAM's reinjection is heuristic, for one recipient", async () => {
    const got = await message("20261122032656.5f903295ed.b07@supplier.example.net");
    assert.deepEqual(
      got?.links.map((l) => [l.rule, l.confidence, l.recipient]),
      [
        ["dspam-lmtp", "heuristic", "bob@example.com"],
        ["dspam-lmtp", "heuristic", "bob.oncall@pager.example.net"],
      ],
    );
    assert.deepEqual(
      got?.deliveries.filter((d) => d.destination === "mailbox").map((d) => [d.recipient, d.mailbox]),
      [["bob@example.com", "INBOX"]],
    );
  });

  test("bounces are their own journeys, related to the message that bounced", async () => {
    const got = await message("20261122032656.6a48d4f29c.b41@example.com");
    assert.equal(got?.related.length, 1);
    assert.equal(got?.related[0]?.relation, "bounce");
    const bounce = await message(got?.related[0]?.messageId ?? "");
    assert.equal(bounce?.sender, "");
    assert.deepEqual(
      bounce?.deliveries.map((d) => [d.recipient, d.mailbox]),
      [["erin@example.com", "INBOX"]],
    );
  });
});
