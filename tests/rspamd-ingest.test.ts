// Rspamd's lines ingested: its own log file (a kind of its own, local times without zone), its
// lines through syslog (program rspamd), retraining scripts' rspamc output recognised by its text
// whatever the script's tag; lines of those families that fit no shape are unparsed and kept.
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { before, describe, test } from "node:test";
import { projectRoot } from "../lib/core/paths.ts";
import { decodeLine } from "../lib/ingest/decode-line.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { sniff } from "../lib/ingest/sniff.ts";
import { YearResolver } from "../lib/syslog/year-resolver.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const LAB_LOG = path.join(projectRoot(), "prisma", "demo", "lab-rspamd", "logs", "var", "log");
const rspamdLog = readFileSync(path.join(LAB_LOG, "rspamd", "rspamd.log"), "utf8");

// A 2018 server logging through syslog (lib/filters/rspamd/task-log.test.ts), and a retraining
// script that logs rspamc's output under its own tag.
const SYSLOG_LINES = [
  "May 15 02:05:02 mail rspamd[27538]: <8ae27d>; proxy; rspamd_message_parse: loaded message; id: <5afa242e.hP5p/mry+fTNNjms%no-reply@example.com>; queue-id: <A785B308622AB>; size: 2348; checksum: <b1035f4fb07162ba88053d9e38df9c93>",
  "May 15 02:05:03 mail rspamd[27538]: <8ae27d>; proxy; rspamd_task_write_log: id: <5afa242e.hP5p/mry+fTNNjms%no-reply@example.com>, qid: <A785B308622AB>, ip: 10.154.200.17, from: <no-reply@example.com>, (default: F (no action): [-0.64/20.00] [BAYES_HAM(-3.00){100.00%;},MIME_GOOD(-0.10){text/plain;}]), len: 2348, time: 750.636ms real, 5.680ms virtual, dns req: 47, digest: <b1035f4fb07162ba88053d9e38df9c93>, rcpts: <jsmith@example.com>, mime_rcpts: <jsmith@example.com>",
  "May 15 02:05:04 mail rspamd[27538]: <8ae27e>; task; rspamd_task_write_log: id: <x@example.com>, qid: <B1>, this line lost its metric",
  "May 15 02:06:10 mail sieve-learn[3121]: Results for file: stdin (0.012 seconds)",
  "May 15 02:06:10 mail sieve-learn[3121]: success = true;",
  'May 15 02:06:10 mail sieve-learn[3121]: filename = "stdin";',
  "May 15 02:06:10 mail cron[3122]: (root) CMD (test -x /usr/sbin/anacron)",
];

describe("Rspamd's log file: sniffed, decoded in the machine's zone", () => {
  test("its own file is the rspamd kind; a maillog with rspamd lines stays syslog", () => {
    assert.deepEqual(sniff(Buffer.from(rspamdLog.slice(0, 8192)), "rspamd.log"), {
      verdict: "log",
      kind: "rspamd",
    });
    assert.deepEqual(sniff(Buffer.from(SYSLOG_LINES.join("\n")), "mail.log"), {
      verdict: "log",
      kind: "syslog",
    });
  });

  test("a task line: local time without zone, program rspamd, its task and worker", () => {
    const line =
      "2026-12-06 10:33:34 #19259(normal) <a385af>; task; rspamd_task_write_log: id: <1796.p6222@greatdeals.test>, qid: <AA0CA1866FA>, ip: 127.0.0.2, from: <winbig@greatdeals.test>, (default: F (no action): [3.50/15.00] [BAYES_SPAM(3.60){95.74%;}]), len: 900, time: 60.0ms, dns req: 0, digest: <x>, rcpts: <alice@example.com>, mime_rcpts: <alice@example.com>";
    const decoded = decodeLine(line, "rspamd", new YearResolver(new Date()), undefined);
    assert.equal(decoded.ts, new Date(2026, 11, 6, 10, 33, 34).getTime());
    assert.deepEqual([decoded.host, decoded.program, decoded.pid], [null, "rspamd", 19259]);
    assert.equal(decoded.event.kind, "rspamd.scan");
    assert.ok(decoded.event.kind === "rspamd.scan");
    assert.deepEqual(decoded.event.task, { taskId: "a385af", worker: "normal", module: "task" });
    assert.equal(decoded.event.scan.qid, "AA0CA1866FA");
  });

  test("a continuation line of a multi-line message is unrecognised, not lost", () => {
    const decoded = decodeLine("stack traceback:", "rspamd", new YearResolver(new Date()), undefined);
    assert.equal(decoded.event.kind, "unrecognised");
  });
});

describe("spamtrail ingest of Rspamd's lines", () => {
  const { db, dir } = tempDatabase();
  const rspamdFile = path.join(dir, "rspamd.log");
  const syslogFile = path.join(dir, "mail.log");
  type SourceCount = { kind: string; linesRead: number; unparsed: number };
  let sources: SourceCount[] = [];
  let programs: Map<string, { lines: number; unparsed: number }>;

  before(async () => {
    writeFileSync(rspamdFile, `${rspamdLog}garbage that is no Rspamd line\n`);
    writeFileSync(syslogFile, `${SYSLOG_LINES.join("\n")}\n`);
    await ingestLogs(db, [rspamdFile, syslogFile, path.join(LAB_LOG, "mail.log")], { year: 2018 });
    sources = db
      .prepare('SELECT kind, "linesRead", unparsed FROM "Source" ORDER BY kind')
      .all() as SourceCount[];
    const rows = db
      .prepare(
        'SELECT program, sum(lines) AS lines, sum(unparsed) AS unparsed FROM "SourceProgram" GROUP BY program',
      )
      .all() as { program: string; lines: number; unparsed: number }[];
    programs = new Map(rows.map(({ program, ...counts }) => [program, counts]));
  });

  test("every line of Rspamd's file is counted; the one that is no Rspamd line is kept as a problem", () => {
    const rspamd = sources.find((source) => source.kind === "rspamd");
    const lines = rspamdLog.split("\n").filter((line) => line !== "").length;
    assert.deepEqual(rspamd, { kind: "rspamd", linesRead: lines + 1, unparsed: 1 });
    const issue = db
      .prepare('SELECT reason FROM "LineIssue" i JOIN "Source" s ON s.id = i."sourceId" WHERE s.kind = ?')
      .all("rspamd");
    assert.deepEqual(issue, [{ reason: "unrecognised" }]);
  });

  test("rspamd through syslog and rspamc output under any tag are read; a broken task line is unparsed", () => {
    assert.deepEqual(programs.get("rspamd"), {
      lines: rspamdLog.split("\n").filter(Boolean).length + 3,
      unparsed: 1,
    });
    assert.deepEqual(programs.get("sieve-learn"), { lines: 3, unparsed: 0 });
    const learnScripts = [...programs].filter(([program]) => program.startsWith("learn-"));
    assert.ok(learnScripts.length > 0);
    assert.ok(learnScripts.every(([, counts]) => counts.unparsed === 0));
  });
});
