import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import type { findingToJson } from "../lib/cli/commands/findings.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { bare, judgedOutgoingOrLocal, labTruth } from "./helpers/lab-truth.ts";
import { runCli } from "./helpers/run-cli.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

type FindingJson = ReturnType<typeof findingToJson>;
const truth = labTruth();
const { db, file } = tempDatabase();
let findings: FindingJson[] = [];
const byKinds = (...kinds: string[]) => findings.filter((f) => kinds.includes(f.kind));
const sorted = (values: Iterable<string>) => [...values].sort();
const keyOf = new Map(truth.messages.map((m) => [bare(m.message_id), m.key]));

describe("findings on the lab sample match truth.json", () => {
  before(async () => {
    await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR });
    const { code, stdout, stderr } = await runCli(["findings", "--db", file, "--json"]);
    assert.equal(code, 0, stderr);
    findings = JSON.parse(stdout) as FindingJson[];
  });

  test("every duplicate (message, recipient) pair, and no other", () => {
    const want = Object.entries(truth.summary.duplicate_deliveries).flatMap(([key, recipients]) =>
      Object.keys(recipients).map((recipient) => `${key} → ${recipient}`),
    );
    const got = byKinds("duplicate-delivery").flatMap((f) =>
      f.evidence.flatMap((e) => e.recipients.map((r) => `${keyOf.get(e.messageId ?? "")} → ${r}`)),
    );
    assert.deepEqual(sorted(got), sorted(want));
  });

  test("every outgoing or local message DSPAM judged — delivered, bounced or deferred — under a verdict-on-* kind, and nothing else", () => {
    const want = Object.keys(judgedOutgoingOrLocal(truth));
    assert.ok(want.length > Object.keys(truth.summary.outgoing_or_local_mail_that_passed_dspam).length);
    const got = new Set(
      byKinds("verdict-on-authenticated", "verdict-on-outgoing", "verdict-on-local").flatMap((f) =>
        f.messageIds.map((id) => keyOf.get(id) ?? id),
      ),
    );
    assert.deepEqual(sorted(got), sorted(want));
  });

  test("the recipients of the copies DSPAM judged of each of those messages", () => {
    const got = new Map<string, Set<string>>();
    for (const f of byKinds("verdict-on-authenticated", "verdict-on-outgoing", "verdict-on-local")) {
      for (const e of f.evidence) {
        const key = keyOf.get(e.messageId ?? "") ?? "";
        got.set(key, new Set([...(got.get(key) ?? []), ...e.recipients]));
      }
    }
    for (const [key, recipients] of Object.entries(judgedOutgoingOrLocal(truth))) {
      assert.deepEqual(sorted(got.get(key) ?? []), sorted(recipients), key);
    }
  });

  test("every retraining that did not take effect (IMAP said OK), and no other", () => {
    const want = truth.imap_training
      .filter((t) => t.training_aimed_at_dspam_user && t.took_effect_on_classification_user === false)
      .map((t) => `${keyOf.get(bare(t.message_id ?? ""))} (login ${t.imap_login})`);
    assert.equal(want.length, truth.summary.training_actions_ineffective_but_imap_ok.length);
    const got = byKinds("training-misdirected", "training-failed").flatMap((f) =>
      f.evidence.map((e) => `${keyOf.get(e.messageId ?? "")} (login ${e.detail.login})`),
    );
    assert.deepEqual(sorted(got), sorted(want));
    assert.deepEqual(sorted(truth.summary.training_actions_ineffective_but_imap_ok), sorted(want));
  });

  test("DSPAM users created for addresses that are nobody's mailbox", () => {
    const got = byKinds("dspam-user-sprawl").flatMap((f) => f.users);
    assert.deepEqual(sorted(got), sorted(truth.summary.dspam_users_created_during_phase));
  });

  test("one finding per cause: the %u pitfall is one retraining finding and one dictionary finding, linked to each other", () => {
    for (const kind of new Set(findings.map((f) => f.kind))) {
      const causes = byKinds(kind).map((f) => f.about);
      assert.equal(new Set(causes).size, causes.length, `${kind}: one finding per cause (${causes})`);
    }
    const bareLogins = sorted(
      new Set(
        truth.imap_training
          .filter((t) => t.took_effect_on_classification_user === false && !t.imap_login.includes("@"))
          .map((t) => t.imap_login),
      ),
    );
    assert.ok(bareLogins.length > 1, "the lab retrains under several bare logins");
    const isBare = (f: FindingJson) => f.evidence.some((e) => !String(e.detail.login ?? "@").includes("@"));
    const retrains = byKinds("training-misdirected", "training-failed").filter(isBare);
    assert.equal(retrains.length, 1, "one finding for every retraining under a login without its domain");
    const retrain = retrains[0] as FindingJson;
    assert.deepEqual(sorted(new Set(retrain.evidence.map((e) => String(e.detail.login)))), bareLogins);
    const bareUsers = truth.summary.dspam_users_created_during_phase.filter((u) => !u.includes("@"));
    const dictionaries = byKinds("dspam-user-sprawl").filter((f) => f.users.some((u) => !u.includes("@")));
    assert.equal(dictionaries.length, 1, "one finding for the dictionaries of bare logins");
    const dictionary = dictionaries[0] as FindingJson;
    assert.deepEqual(sorted(dictionary.users), sorted(bareUsers));
    assert.ok(
      retrain.related.some((r) => r.id === dictionary.id),
      "the retraining finding links the dictionaries",
    );
    assert.ok(
      dictionary.related.some((r) => r.id === retrain.id),
      "and the dictionaries link back",
    );
  });

  test("each finding says what is wrong, why and what to change", () => {
    for (const f of findings) {
      assert.ok(f.summary.length > 20 && f.cause.length > 20 && f.fix.length > 20, f.key);
      assert.ok(f.count === f.evidence.length && f.count > 0, f.key);
      assert.ok(f.firstSeen <= f.lastSeen, f.key);
    }
    const misdirected = byKinds("training-misdirected").find(
      (f) => f.key === "training-misdirected:bare-login",
    );
    assert.match(misdirected?.cause ?? "", /%u/);
    assert.match(misdirected?.fix ?? "", /antispam_dspam_args/);
  });

  test("ingesting the sample again changes no finding", async () => {
    await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR });
    const again = JSON.parse((await runCli(["findings", "--db", file, "--json"])).stdout) as FindingJson[];
    assert.deepEqual(again, findings);
  });

  test("--kind and --since/--until narrow the list", async () => {
    const only = JSON.parse(
      (await runCli(["findings", "--db", file, "--json", "--kind", "duplicate-delivery"])).stdout,
    ) as FindingJson[];
    assert.deepEqual(
      only.map((f) => f.kind),
      ["duplicate-delivery"],
    );
    const none = JSON.parse(
      (await runCli(["findings", "--db", file, "--json", "--until", "2026-11-21"])).stdout,
    ) as FindingJson[];
    assert.deepEqual(none, []);
    const bad = await runCli(["findings", "--db", file, "--kind", "spam"]);
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /unknown --kind 'spam'/);
  });

  test("a range without mail says so, in findings, users and the report; a range with mail and no finding is an all-clear", async () => {
    const empty = "No mail logged between 2026-12-01 00:00 and 2026-12-08 00:00.";
    const range = ["--since", "2026-12-01", "--until", "2026-12-07"];
    assert.equal((await runCli(["findings", "--db", file, ...range])).stdout, `${empty}\n`);
    assert.equal((await runCli(["users", "--db", file, ...range])).stdout, `${empty}\n`);
    const report = await runCli(["report", "--db", file, ...range, "--text"]);
    assert.match(
      report.stdout.replace(/\s+/g, " "),
      /No mail logged between 2026-12-01 00:00 and 2026-12-08 00:00\./,
    );
    assert.match(
      (await runCli(["findings", "--db", file, "--since", "2026-12-01"])).stdout,
      /^No mail logged between 2026-12-01 00:00 and now\.\n$/,
    );
    const clear = await runCli(["findings", "--db", file, "--kind", "training-failed"]);
    assert.match(clear.stdout, /^No problems found/);
  });

  test("spamtrail users: per-user training health", async () => {
    const users = JSON.parse((await runCli(["users", "--db", file, "--json"])).stdout) as Record<
      string,
      unknown
    >[];
    const bob = users.find((u) => u.user === "bob@example.com");
    assert.deepEqual(bob, {
      user: "bob@example.com",
      filter: "dspam",
      isMailbox: true,
      classified: 16,
      spam: 3,
      innocent: 13,
      retrains: 2,
      retrainsApplied: 0,
      retrainsFailed: 2,
      retrainsMisdirected: 2,
      successRate: 0,
    });
    assert.equal(users.find((u) => u.user === "bob")?.isMailbox, false);
  });
});
