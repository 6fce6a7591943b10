// spamtrail messages (the Messages page's search on the command line), and what issue 14 added to
// findings and message: wrapping, a message's findings and duplicate copies, the display zone.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { runCli } from "./helpers/run-cli.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const DUPLICATE = "20261122032656.5f903295ed.b07@supplier.example.net";
const lab = tempDatabase();
await ingestLogs(lab.db, [LAB_LOGS], { year: LAB_YEAR });
const env = { ...process.env, SPAMTRAIL_TZ: "UTC" };

type MessageJson = {
  messageId: string | null;
  origin: string;
  sender: string | null;
  client: string | null;
  subject: string | null;
  queueIds: string[];
  complete: boolean;
  deliveries: {
    recipient: string;
    origRecipient: string | null;
    status: string;
    copy: number | null;
    copies: number;
  }[];
  filterHandoffs: { recipient: string }[];
  verdicts: { dspamUser?: string; user: string | null; result: string }[];
  findings: { kind: string; severity: string; summary: string }[];
  lines?: unknown;
};

async function messages(...args: string[]): Promise<MessageJson[]> {
  const { code, stdout, stderr } = await runCli(["messages", "--db", lab.file, "--json", ...args], "", env);
  assert.equal(code, 0, stderr);
  return JSON.parse(stdout) as MessageJson[];
}

describe("spamtrail messages: each filter", () => {
  const cases: { args: string[]; check: (m: MessageJson) => boolean; atLeast: number }[] = [
    {
      args: ["--recipient", "ROOT@example.com"],
      check: (m) => m.filterHandoffs.some((h) => h.recipient !== "") && m.deliveries.length > 0,
      atLeast: 5,
    },
    {
      args: ["--recipient", "@pager.example.net"],
      check: (m) => m.deliveries.some((d) => d.recipient.endsWith("@pager.example.net")),
      atLeast: 16,
    },
    {
      args: ["--sender", "anna@supplier.example.net"],
      check: (m) => m.sender === "anna@supplier.example.net",
      atLeast: 2,
    },
    { args: ["--queue-id", "da0eb166632"], check: (m) => m.queueIds.includes("DA0EB166632"), atLeast: 1 },
    { args: ["--message-id", "5f903295ed"], check: (m) => m.messageId === DUPLICATE, atLeast: 1 },
    { args: ["--text", "furniture"], check: (m) => /furniture/i.test(m.subject ?? ""), atLeast: 1 },
    {
      args: ["--client", "203.0.113.55"],
      check: (m) => (m.client ?? "").includes("[203.0.113.55]"),
      atLeast: 2,
    },
    { args: ["--sasl-user", "dave"], check: (m) => m.origin === "authenticated", atLeast: 1 },
    {
      args: ["--dspam-user", "carol@example.com", "--verdict", "spam"],
      check: (m) => m.verdicts.some((v) => v.dspamUser === "carol@example.com" && v.result === "spam"),
      atLeast: 1,
    },
    { args: ["--verdict", "none"], check: (m) => m.verdicts.length === 0, atLeast: 1 },
    {
      args: ["--finding", "duplicate-delivery"],
      check: (m) => m.findings.some((f) => f.kind === "duplicate-delivery"),
      atLeast: 16,
    },
    { args: ["--status", "queued"], check: (m) => !m.complete, atLeast: 2 },
    {
      args: ["--status", "bounced"],
      check: (m) => m.deliveries.some((d) => d.status === "bounced") || !m.complete,
      atLeast: 1,
    },
    {
      args: ["--status", "deferred"],
      check: (m) => m.deliveries.some((d) => d.status === "deferred"),
      atLeast: 1,
    },
    {
      args: ["--status", "delivered", "--origin", "local"],
      check: (m) => m.origin === "local" && m.deliveries.some((d) => d.status === "sent"),
      atLeast: 1,
    },
    { args: ["--since", "2026-11-22T03:27:10", "--until", "2026-11-22"], check: () => true, atLeast: 1 },
  ];
  for (const c of cases)
    test(c.args.join(" "), async () => {
      const found = await messages(...c.args, "--limit", "200");
      assert.ok(found.length >= c.atLeast, `${found.length} found, at least ${c.atLeast} expected`);
      for (const m of found) {
        assert.ok(c.check(m), `${m.messageId} does not fit ${c.args.join(" ")}`);
        assert.equal(m.lines, undefined, "no lines");
      }
    });

  test("--limit, and the same object as spamtrail message --json (without lines)", async () => {
    assert.equal((await messages("--limit", "3")).length, 3);
    const [one] = await messages("--queue-id", "064FA166632");
    const single = await runCli(["message", "--db", lab.file, "--json", DUPLICATE], "", env);
    const { lines: _lines, ...expected } = JSON.parse(single.stdout);
    assert.deepEqual(one, expected);
  });

  test("the table: time with its zone, the alias written, position", async () => {
    const { code, stdout } = await runCli(
      ["messages", "--db", lab.file, "--recipient", "sales@example.com"],
      "",
      env,
    );
    assert.equal(code, 0);
    assert.match(stdout, /^time \(UTC\)\s+queue id\s+sender\s+recipients/);
    assert.match(stdout, /\(written to sales@example\.com\)|\(for sales@example\.com\)/);
    assert.match(stdout, /\n\d+ of \d+ message\(s\)/);
    const none = await runCli(["messages", "--db", lab.file, "--sender", "nobody@nowhere.example"], "", env);
    assert.equal(none.stdout, "No message matches.\n");
  });

  const bad: [string[], RegExp][] = [
    [
      ["--status", "lost"],
      /^spamtrail messages: --status must be one of filtered, bypassed, waited-for-filter, delivered, deferred, bounced, queued, in-progress, got 'lost'$/m,
    ],
    [
      ["--verdict", "maybe"],
      /^spamtrail messages: --verdict must be one of spam, innocent, none, judged, got 'maybe'$/m,
    ],
    [["--limit", "0"], /^spamtrail messages: --limit must be a number from 1 to 10000, got '0'$/m],
    [["--since", "yesterday"], /^spamtrail messages: --since must be a date \(2026-11-22\) or date-time/m],
  ];
  for (const [argv, message] of bad)
    test(`bad usage: ${argv.join(" ")} → one line, exit 2`, async () => {
      const { code, stderr } = await runCli(["messages", "--db", lab.file, ...argv], "", env);
      assert.equal(code, 2);
      assert.match(stderr, message);
    });
});

describe("findings, message and the display zone", () => {
  test("findings wraps to 100 columns when not on a terminal", async () => {
    const { code, stdout } = await runCli(["findings", "--db", lab.file], "", env);
    assert.equal(code, 0);
    // (The suggested `e.g. spamtrail message …` stays whole: it is meant to be pasted.)
    const long = stdout
      .split("\n")
      .filter(
        (line) => line.length > 100 && /\s\S+\s/.test(line.trim()) && !/^ {4}e\.g\. spamtrail /.test(line),
      );
    assert.deepEqual(long, [], "no line over 100 columns that could have been broken");
    assert.match(stdout, /\n {4}Why: .+\n {9}\S/, "continuation lines indented under their label");
  });

  test("message lists its findings and marks the duplicate copies", async () => {
    const { stdout } = await runCli(["message", "--db", lab.file, DUPLICATE], "", env);
    assert.match(stdout, /\nFindings:\n {2}HIGH {3}classified-under-alias \(#\d+\): /);
    assert.match(stdout, /MEDIUM duplicate-delivery \(#\d+\): /);
    assert.equal(stdout.match(/DUPLICATE: copy \d of 2/g)?.length, 2);
    const json = JSON.parse(
      (await runCli(["message", "--db", lab.file, "--json", DUPLICATE], "", env)).stdout,
    );
    assert.deepEqual(
      json.deliveries
        .filter((d: { recipient: string }) => d.recipient === "bob.oncall@pager.example.net")
        .map((d: { copy: number; copies: number }) => [d.copy, d.copies]),
      [
        [1, 2],
        [2, 2],
      ],
    );
  });

  test("message --json: verdicts and trainings name their filter and user; DSPAM's keep dspamUser and dspamClass", async () => {
    const messageId = lab.db
      .prepare(
        `SELECT messageId FROM Training WHERE messageId IS NOT NULL AND filterUser IS NOT NULL ORDER BY id LIMIT 1`,
      )
      .pluck()
      .get() as string;
    const { code, stdout, stderr } = await runCli(
      ["message", "--db", lab.file, "--json", messageId],
      "",
      env,
    );
    assert.equal(code, 0, stderr);
    const got = JSON.parse(stdout) as {
      verdicts: Record<string, unknown>[];
      trainings: Record<string, unknown>[];
    };
    assert.ok(got.verdicts.length > 0 && got.trainings.length > 0);
    for (const v of got.verdicts) {
      assert.equal(v.filter, "dspam");
      assert.equal(v.dspamUser, v.user);
      assert.match(String(v.dspamClass), /^[SIWVAOU]$/);
      assert.deepEqual([v.action, v.score], [null, null], "DSPAM logs neither");
    }
    for (const t of got.trainings) {
      assert.equal(t.filter, "dspam");
      assert.equal(t.dspamUser, t.user);
    }
    const text = await runCli(["message", "--db", lab.file, messageId], "", env);
    assert.match(text.stdout, /Filter verdicts:\n.*DSPAM \S+ +DSPAM user /);
  });

  test("SPAMTRAIL_TZ: times printed and dates read in it, named; a wrong zone is refused", async () => {
    const berlin = { ...process.env, SPAMTRAIL_TZ: "Europe/Berlin" };
    const { stdout } = await runCli(["message", "--db", lab.file, DUPLICATE], "", berlin);
    assert.match(stdout, /2026-11-22 04:26:59 CET/, "03:26:59 UTC in Berlin");
    // 04:27 in Berlin is 03:27 UTC: the same messages as 03:27 in UTC.
    const inBerlin = await runCli(
      ["messages", "--db", lab.file, "--json", "--since", "2026-11-22T04:27"],
      "",
      berlin,
    );
    const inUtc = await runCli(
      ["messages", "--db", lab.file, "--json", "--since", "2026-11-22T03:27"],
      "",
      env,
    );
    assert.equal(inBerlin.stdout, inUtc.stdout);
    const bad = await runCli(["findings", "--db", lab.file], "", {
      ...process.env,
      SPAMTRAIL_TZ: "Moon/Base",
    });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /^spamtrail findings: SPAMTRAIL_TZ="Moon\/Base" is not a time zone/);
  });
});
