// The Rspamd lab (prisma/demo/lab-rspamd) ingested like a server's logs: its findings and the
// per-user retraining equal what truth.json observed on the real server.
import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { findingToJson } from "../lib/cli/commands/findings.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { RSPAMD_LAB_LOGS, rspamdTruth } from "./helpers/rspamd-lab.ts";
import { runCli } from "./helpers/run-cli.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

// Rspamd's own log has no zone: the lab's clock was UTC (its README), as its syslog's +00:00 says.
process.env.TZ = "UTC";

type FindingJson = ReturnType<typeof findingToJson>;
const truth = rspamdTruth();
const { db, file } = tempDatabase();
let findings: FindingJson[] = [];
const byKinds = (...kinds: string[]) => findings.filter((f) => kinds.includes(f.kind));
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();
const bare = (messageId: string) => messageId.replace(/^<(.*)>$/, "$1");
const keyOf = new Map(truth.messages.map((m) => [bare(m.message_id), m.key]));
const executed = truth.imap_training.filter((t) => t.learn_user !== undefined);

describe("the Rspamd lab's findings and retraining match truth.json", () => {
  before(async () => {
    await ingestLogs(db, [RSPAMD_LAB_LOGS]);
    const { code, stdout, stderr } = await runCli(["findings", "--db", file, "--json"]);
    assert.equal(code, 0, stderr);
    findings = JSON.parse(stdout) as FindingJson[];
  });

  test("every finding is Rspamd's, and says what is wrong, why and what to change", () => {
    assert.ok(findings.length > 0);
    for (const f of findings) {
      assert.match(f.key, /\/rspamd$/, f.key);
      assert.ok(f.summary.length > 20 && f.cause.length > 20 && f.fix.length > 20, f.key);
      assert.doesNotMatch(`${f.summary} ${f.cause} ${f.fix}`, /DSPAM|dspam/, f.key);
    }
  });

  test("mail scored with an alias's Bayes: every scan keyed by an alias, and no other", () => {
    const alias = truth.summary.pitfall_evidence.scans_keyed_by_alias;
    const got = byKinds("classified-under-alias").filter(
      (f) => f.key === "classified-under-alias:alias/rspamd",
    );
    assert.deepEqual(
      sorted(got.flatMap((f) => f.messageIds.map((id) => keyOf.get(id) ?? id))),
      sorted(alias.map((s) => s.key)),
    );
    assert.deepEqual(sorted(got.flatMap((f) => f.users)), sorted(alias.map((s) => s.stats_user)));
    assert.match(got[0]?.cause ?? "", /users_enabled/);
  });

  test("mail to several people scored with one of them's Bayes: the other people's copies", () => {
    const aliases = new Set(truth.summary.pitfall_evidence.scans_keyed_by_alias.map((s) => s.key));
    const want = truth.summary.pitfall_evidence.copies_classified_under_another_users_bayes
      .filter((copy) => !aliases.has(copy.key))
      .map((copy) => `${copy.key} ${copy.mailbox} ${copy.stats_user}`);
    const got = byKinds("classified-under-alias")
      .filter((f) => f.key === "classified-under-alias:another-recipient/rspamd")
      .flatMap((f) => f.evidence)
      .flatMap((e) =>
        e.recipients.map(
          (r) => `${keyOf.get(e.messageId ?? "")} ${r} ${(e.detail.judgedAs as string[]).join(",")}`,
        ),
      );
    assert.ok(want.length > 0);
    assert.deepEqual(sorted(got), sorted(want));
  });

  test("every message Rspamd scanned that was not inbound mail is a verdict-on-* finding, and no other", () => {
    const want = truth.messages
      .filter((m) => (m.rspamd_scans ?? []).length > 0)
      .filter((m) => (m as { origin_class?: string }).origin_class !== "inbound")
      .map((m) => m.key);
    const scopes = byKinds("verdict-on-authenticated", "verdict-on-local");
    assert.deepEqual(
      sorted(scopes.flatMap((f) => f.messageIds.map((id) => keyOf.get(id) ?? id))),
      sorted(want),
    );
    const spam = scopes
      .flatMap((f) => f.evidence)
      .filter((e) => e.detail.taggedSpam === true)
      .map((e) => keyOf.get(e.messageId ?? "") ?? "");
    assert.deepEqual(
      sorted(spam),
      sorted(truth.summary.pitfall_evidence["non_inbound_spam_verdicts(add header/reject)"]),
    );
    assert.deepEqual(byKinds("auth-on-port-25"), []);
  });

  test("misdirected: the learns Rspamd applied to another Bayes than the one that scored the message", () => {
    const got = byKinds("training-misdirected").flatMap((f) =>
      f.evidence.map((e) => [e.detail.login, e.detail.target, e.detail.classifiedBy].join(" ")),
    );
    const want = truth.summary.pitfall_evidence.misdirected_learn_users.map((triple) => triple.join(" "));
    assert.deepEqual(sorted(got), sorted(want));
  });

  test("failed: every learn Rspamd refused although rspamc exited 0", () => {
    const got = byKinds("training-failed").flatMap((f) =>
      f.evidence.map((e) => `${e.detail.login} ${keyOf.get(e.messageId ?? "")}`),
    );
    const want = executed
      .filter((t) => t.rspamc_success === false)
      .map((t) => `${t.login} ${keyOf.get(bare(t.message_id ?? ""))}`);
    assert.equal(got.length, want.length);
    assert.deepEqual(sorted(got), sorted(want));
    assert.match(byKinds("training-failed")[0]?.cause ?? "", /learn_condition/);
  });

  test("no duplicate copy: Postfix's repeated sent lines for one mailbox were stored once by Dovecot", () => {
    assert.equal(truth.summary.duplicate_deliveries, 0);
    assert.deepEqual(byKinds("duplicate-delivery"), []);
  });

  test("no stray Bayes user: every learn Rspamd applied went into a mailbox's Bayes", () => {
    assert.deepEqual(byKinds("dspam-user-sprawl"), []);
  });

  test("filtered: exactly the messages Rspamd scanned, so no inbound message counts as bypassing the filter", () => {
    const rows = db.prepare(`SELECT "messageId" FROM "Journey" WHERE "filtered" = TRUE`).all() as {
      messageId: string;
    }[];
    const want = truth.messages
      .filter((m) => (m.rspamd_scans ?? []).length > 0)
      .map((m) => bare(m.message_id));
    assert.deepEqual(sorted(rows.map((r) => bare(r.messageId))), sorted(want));
    const bypassed = db
      .prepare(
        `SELECT count(*) AS n FROM "Journey" WHERE "origin" = 'inbound' AND "filtered" = FALSE AND "delivered" > 0`,
      )
      .get() as { n: number };
    assert.equal(bypassed.n, 0);
  });

  test("per Bayes user: the learns it received, applied or refused, equal the truth", () => {
    const rows = db
      .prepare(`SELECT "filterUser" AS user, "outcome" FROM "Training" WHERE "filter" = 'rspamd'`)
      .all() as { user: string; outcome: string }[];
    const got = rows.map((r) => `${r.user} ${r.outcome}`);
    const want = executed.map(
      (t) => `${t.learn_user_key_used_by_rspamd} ${t.rspamc_success ? "applied" : "failed"}`,
    );
    assert.deepEqual(got.sort(), want.sort());
  });

  test("spamtrail users: each Bayes user's misdirected and failed learns equal the truth (a refused learn is failed only)", async () => {
    const { code, stdout, stderr } = await runCli(["users", "--db", file, "--json"]);
    assert.equal(code, 0, stderr);
    const rows = JSON.parse(stdout) as {
      user: string;
      filter: string | null;
      retrainsFailed: number;
      retrainsMisdirected: number;
    }[];
    const got = rows
      .filter((r) => r.filter === "rspamd" && r.retrainsFailed + r.retrainsMisdirected > 0)
      .map((r) => `${r.user} failed ${r.retrainsFailed} misdirected ${r.retrainsMisdirected}`);
    // A learn belongs to the Bayes user whose verdict it corrects (the classification's), else its own.
    const tally = new Map<string, { failed: number; misdirected: number }>();
    for (const t of executed) {
      const user = (t.classification_user ?? t.learn_user_key_used_by_rspamd ?? "").toLowerCase();
      const each = tally.get(user) ?? { failed: 0, misdirected: 0 };
      if (!t.rspamc_success) each.failed += 1;
      if (t.misdirected) each.misdirected += 1;
      tally.set(user, each);
    }
    const want = [...tally]
      .filter(([, n]) => n.failed + n.misdirected > 0)
      .map(([user, n]) => `${user} failed ${n.failed} misdirected ${n.misdirected}`);
    assert.ok(want.length > 0);
    assert.deepEqual(got.sort(), want.sort());
  });
});
