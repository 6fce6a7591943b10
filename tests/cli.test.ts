import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../lib/core/paths.ts";
import { LAB_LOGS } from "./helpers/fixtures.ts";
import { runCli } from "./helpers/run-cli.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const MAIL_LOG = path.join(LAB_LOGS, "var/log/mail.log");
const COMMANDS = [
  "ingest",
  "follow",
  "findings",
  "audit",
  "message",
  "messages",
  "users",
  "report",
  "parse",
  "serve",
  "demo",
  "admin",
  "migrate",
];

describe("usage", () => {
  test("--help lists every command with its summary", async () => {
    const { code, stdout } = await runCli(["--help"]);
    assert.equal(code, 0);
    const listed = stdout
      .split("Commands:\n")[1]
      ?.split("\n\n")[0]
      ?.split("\n")
      .map((line) => /^ {2}(\S+) {2,}\S/.exec(line)?.[1]);
    assert.deepEqual(listed, COMMANDS);
  });

  for (const command of COMMANDS) {
    test(`${command} --help prints its usage and exits 0`, async () => {
      const { code, stdout } = await runCli([command, "--help"]);
      assert.equal(code, 0);
      assert.match(stdout, new RegExp(`^Usage: spamtrail ${command}`));
      assert.match(stdout, /--help/);
    });
  }

  const bad: [string[], RegExp][] = [
    [["ingest"], /^spamtrail ingest: missing argument \(usage: spamtrail ingest /],
    [["ingest", "--year", "26", MAIL_LOG], /^spamtrail ingest: --year must be a four-digit year, got '26'$/m],
    [["demo", "--sample", "bogus"], /^spamtrail demo: --sample must be one of dspam, rspamd, got 'bogus'$/m],
    [
      ["ingest", "--kind", "maillog", MAIL_LOG],
      /^spamtrail ingest: --kind must be auto, syslog, dovecot, dspam-system, dspam-user, rspamd; got 'maillog'$/m,
    ],
    [["ingest", "--bogus", MAIL_LOG], /^spamtrail ingest: Unknown option '--bogus'$/m],
    [["parse", "a", "b"], /^spamtrail parse: unexpected argument 'b'$/m],
    [["frobnicate"], /^spamtrail: unknown command 'frobnicate'/],
  ];
  for (const [argv, message] of bad) {
    test(`bad usage: spamtrail ${argv.join(" ")} → one-line reason, exit 2`, async () => {
      const { code, stderr } = await runCli(argv);
      assert.equal(code, 2);
      assert.match(stderr, message);
    });
  }

  test("a missing PATH is an error with exit 1", async () => {
    const db = path.join(tempDir(), "x.db");
    const { code, stderr } = await runCli(["ingest", "--db", db, "/nonexistent/mail.log"]);
    assert.equal(code, 1);
    assert.equal(stderr, "spamtrail ingest: /nonexistent/mail.log: no such file or directory\n");
  });
});

describe("ingest and parse from the command line", () => {
  test("ingest prints a per-program summary; a second run finds everything already known", async () => {
    const db = path.join(tempDir(), "cli.db");
    const first = await runCli(["ingest", "--db", db, "--year", "2026", MAIL_LOG]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^program\s+read\s+new\s+already known\s+unparsed$/m);
    assert.match(first.stdout, /^postfix\/smtpd\s+430\s+430\s+0\s+\d+$/m);
    assert.match(first.stdout, /^total\s+1,416\s+1,416\s+0\s+[\d,]+$/m);
    const second = await runCli(["ingest", "--db", db, "--year", "2026", MAIL_LOG]);
    assert.match(second.stdout, /^total\s+1,416\s+0\s+1,416\s+0$/m);
  });

  test("parse --json prints one object per line with the envelope fields", async () => {
    const { code, stdout } = await runCli(
      ["parse", "--json", "--year", "2026", "-"],
      "Nov 22 03:26:56 mail postfix/smtpd[29256]: connect from localhost[127.0.0.1]\nnot a log line\n",
    );
    assert.equal(code, 0);
    const [first, second] = stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      { n: first?.n, ts: first?.ts, host: first?.host, program: first?.program, pid: first?.pid },
      {
        n: 1,
        ts: new Date(2026, 10, 22, 3, 26, 56).toISOString(),
        host: "mail",
        program: "postfix/smtpd",
        pid: 29256,
      },
    );
    assert.equal(second?.kind, "unrecognised");
  });

  test("npx spamtrail --help works from the checkout (package.json bin)", () => {
    const out = execFileSync("npx", ["--no-install", "spamtrail", "--help"], {
      cwd: projectRoot(),
      encoding: "utf8",
    });
    assert.match(out, /^Usage: spamtrail <command>/);
    const bad = spawnSync("npx", ["--no-install", "spamtrail", "ingest"], {
      cwd: projectRoot(),
      encoding: "utf8",
    });
    assert.equal(bad.status, 2);
  });
});
