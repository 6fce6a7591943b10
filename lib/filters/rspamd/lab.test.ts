// The whole Rspamd lab (prisma/demo/lab-rspamd): every Rspamd and learn-script line parses, and the
// scans and IMAP retrainings they describe equal the lab's truth file.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../../core/paths.ts";
import { parseEnvelope } from "../../syslog/envelope.ts";
import { parseRspamdEvent } from "./index.ts";
import { type LearnScriptLine, learnRunsOf, parseLearnScriptLine } from "./learn-script.ts";
import { controllerLearnsOf } from "./learns.ts";
import { parseRspamdFileLine } from "./log-line.ts";
import { joinScans } from "./scans.ts";

const LAB = path.join(projectRoot(), "prisma", "demo", "lab-rspamd");
const linesOf = (file: string) =>
  readFileSync(path.join(LAB, "logs", "var", "log", file), "utf8")
    .split("\n")
    .filter((line) => line !== "");

type TruthScan = { stats_user: string | null; action: string; score: number; qid: string; task_id: string };
type TruthTraining = {
  login: string;
  message_id: string;
  learn_user_key_used_by_rspamd?: string | null;
  direction: "learn_spam" | "learn_ham";
  learn_user?: string | null;
  rspamc_success: boolean | null;
};
const truth = JSON.parse(readFileSync(path.join(LAB, "truth.json"), "utf8")) as {
  messages: { rspamd_scans?: TruthScan[] | null }[];
  imap_training: TruthTraining[];
};

describe("Rspamd lab: rspamd.log", () => {
  const items = linesOf("rspamd/rspamd.log").map((text) => {
    const line = parseRspamdFileLine(text);
    assert.ok(line, `no Rspamd envelope: ${text}`);
    return { line, event: parseRspamdEvent(line) };
  });

  test("no Rspamd line is unparsed", () => {
    const unparsed = items.filter(({ event }) => event.kind === "unparsed");
    assert.deepEqual(unparsed, []);
  });

  test("every task, stat_redis, milter and controller learn line is read", () => {
    const kinds = new Map<string, number>();
    for (const { event } of items) kinds.set(event.kind, (kinds.get(event.kind) ?? 0) + 1);
    const count = (pattern: RegExp) =>
      items.filter(({ line }) => pattern.test(`${line.module}; ${line.fn}`)).length;
    assert.equal(kinds.get("rspamd.scan"), count(/; rspamd_task_write_log$/));
    assert.equal(
      (kinds.get("rspamd.bayes-key") ?? 0) + (kinds.get("rspamd.bayes-tokens") ?? 0),
      count(/^stat_redis;/),
    );
    assert.equal(kinds.get("rspamd.learned"), count(/; rspamd_controller_learn_fin_task$/));
    assert.equal(kinds.get("rspamd.milter-client"), count(/^milter; rspamd_milter_process_command$/));
  });

  test("scans equal the truth: qid, action, score, Bayes user observed or inferred", () => {
    const got = joinScans(items, true).map(({ line, scan, bayes, origin }) => ({
      origin,
      taskId: line.taskId,
      qid: scan.qid,
      action: scan.action,
      score: scan.score,
      user: bayes.user,
      how: bayes.how,
      forced: scan.forced !== null,
    }));
    const want = truth.messages
      .flatMap((message) => message.rspamd_scans ?? [])
      .map((scan) => ({ taskId: scan.task_id, qid: scan.qid, action: scan.action, score: scan.score }));
    assert.equal(got.length, want.length);
    assert.ok(got.every((scan) => scan.origin === "mta"));
    const byTask = new Map(got.map((scan) => [scan.taskId, scan]));
    for (const scan of truth.messages.flatMap((message) => message.rspamd_scans ?? [])) {
      const mine = byTask.get(scan.task_id);
      assert.ok(mine, `no scan for task ${scan.task_id}`);
      assert.deepEqual(
        { qid: mine.qid, action: mine.action, score: mine.score },
        { qid: scan.qid, action: scan.action, score: scan.score },
      );
      if (scan.stats_user === null) {
        // The truth names no Bayes user when Bayes never ran (a forced pre-result such as GTUBE).
        assert.equal(mine.how, "inferred", scan.task_id);
        assert.ok(mine.forced, `${scan.task_id}: no stat_redis line although Bayes ran`);
      } else assert.deepEqual({ user: mine.user, how: mine.how }, { user: scan.stats_user, how: "observed" });
    }
  });

  test("the controller's learns of the IMAP trainings: Message-ID, Bayes user trained, learned or refused", () => {
    const learns = controllerLearnsOf(items);
    const executed = truth.imap_training.filter((training) => typeof training.learn_user === "string");
    for (const training of executed) {
      const want = {
        user: training.learn_user_key_used_by_rspamd,
        learnClass: training.direction === "learn_spam" ? "spam" : "ham",
        outcome: training.rspamc_success ? "learned" : "refused",
      };
      const mine = learns.filter(
        (learn) => `<${learn.messageId}>` === training.message_id && learn.user === want.user,
      );
      assert.equal(mine.length, 1, `${training.login} ${training.message_id}`);
      const [learn] = mine;
      assert.deepEqual({ user: learn?.user, learnClass: learn?.learnClass, outcome: learn?.outcome }, want);
      if (want.outcome === "refused") assert.match(learn?.reason ?? "", /already in class/);
    }
  });

  test("the inference agrees with every observed Bayes user (first SMTP RCPT, lower-cased)", () => {
    const observed = joinScans(items, true).filter(({ bayes }) => bayes.how === "observed");
    assert.ok(observed.length > 0);
    const withoutDebug = items.filter(({ event }) => event.kind === "rspamd.scan");
    const inferred = new Map(joinScans(withoutDebug, true).map(({ line, bayes }) => [line.taskId, bayes]));
    for (const { line, bayes } of observed)
      assert.deepEqual(inferred.get(line.taskId), { user: bayes.user, how: "inferred" }, line.taskId ?? "");
  });
});

describe("Rspamd lab: learn scripts in mail.log", () => {
  // The lab's scripts log through `logger -t learn-spam|learn-ham` (config/dovecot/sieve/learn-*.sh).
  const scriptLines = linesOf("mail.log")
    .map((text) => parseEnvelope(text))
    .filter((envelope) => envelope !== null && /^learn-(spam|ham)$/.test(envelope.program));

  test("every learn-script line is rspamc output", () => {
    for (const envelope of scriptLines)
      assert.ok(parseLearnScriptLine(envelope?.program ?? "", envelope?.message ?? ""), envelope?.message);
  });

  test("runs equal the truth's executed IMAP trainings: login, learn user, learned or refused", () => {
    const runs = learnRunsOf(
      scriptLines.map((envelope) => ({
        program: envelope?.program ?? "",
        pid: envelope?.pid ?? null,
        line: parseLearnScriptLine(envelope?.program ?? "", envelope?.message ?? "") as LearnScriptLine,
      })),
    );
    const got = runs.map((run) => [run.login, run.user, run.learnClass, run.outcome].join(" ")).sort();
    const want = truth.imap_training
      .filter((training) => typeof training.learn_user === "string") // moves that ran a script
      .map((training) =>
        [
          training.login,
          training.learn_user,
          training.direction === "learn_spam" ? "spam" : "ham",
          training.rspamc_success ? "learned" : "refused",
        ].join(" "),
      )
      .sort();
    assert.deepEqual(got, want);
    assert.ok(
      runs.every((run) => run.exitCode === 0),
      "rspamc exits 0 whether it learned or was refused",
    );
  });
});
