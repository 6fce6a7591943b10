import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { lastCompleteWeek } from "../../lib/report/period.ts";
import { bothDatabases } from "../helpers/both-databases.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { labDatabase } from "./lab-db.ts";
import { runReportCli } from "./run-report-cli.ts";

const file = await labDatabase();
const databases = await bothDatabases(file);
const dir = tempDir();

describe("spamtrail report: bad usage is one line and exit 2", () => {
  const cases: [string, string[], Record<string, string>, RegExp][] = [
    [
      "a week that does not exist",
      ["--week", "2026-W99"],
      {},
      /--week must be an ISO week like 2026-W47, got '2026-W99'/,
    ],
    ["--week with --since", ["--week", "2026-W47", "--since", "2026-11-01"], {}, /--week cannot be combined/],
    ["--since alone", ["--since", "2026-11-01"], {}, /--since and --until go together/],
    [
      "an empty range",
      ["--since", "2026-11-20", "--until", "2026-11-10"],
      {},
      /--until must be after --since/,
    ],
    ["a bad date", ["--since", "yesterday", "--until", "2026-11-10"], {}, /--since must be a date/],
    ["--to without --send", ["--to", "a@example.com"], {}, /--to needs --send/],
    ["--force without --send", ["--force"], {}, /--force needs --send/],
    ["--send without recipients", ["--send"], {}, /no recipients: give --to ADDR or set SPAMTRAIL_REPORT_TO/],
    [
      "a bad recipient",
      ["--send", "--to", "not an address"],
      {},
      /--to must be mail addresses like ops@example.com, got 'not'/,
    ],
    [
      "a bad SPAMTRAIL_SMTP_SECURE",
      ["--send", "--to", "a@example.com"],
      { SPAMTRAIL_SMTP_SECURE: "maybe" },
      /SPAMTRAIL_SMTP_SECURE must be auto, starttls, tls or none, got 'maybe'/,
    ],
    [
      "a user without a password",
      ["--send", "--to", "a@example.com"],
      { SPAMTRAIL_SMTP_USER: "me" },
      /SPAMTRAIL_SMTP_USER is set but SPAMTRAIL_SMTP_PASSWORD/,
    ],
    [
      "a base URL that is not http(s)",
      ["--week", "2026-W47"],
      { SPAMTRAIL_BASE_URL: "javascript:alert(1)" },
      /SPAMTRAIL_BASE_URL must start with http:\/\/ or https:\/\//,
    ],
  ];
  for (const [name, argv, env, message] of cases) {
    test(name, async () => {
      const result = await runReportCli(["--db", file, ...argv], env);
      assert.equal(result.code, 2);
      assert.equal(result.stdout, "");
      assert.match(
        result.stderr,
        new RegExp(`^spamtrail report: ${message.source}.*\\nTry 'spamtrail report --help'\\.\\n$`),
      );
    });
  }
});

for (const { name, skip, target, prisma } of databases) {
  describe(`spamtrail report without --send (${name})`, { skip }, () => {
    test("prints the text of the last complete week by default", async () => {
      const result = await runReportCli(["--db", target]);
      assert.equal(result.code, 0, result.stderr);
      const week = lastCompleteWeek(new Date());
      assert.match(
        result.stdout,
        new RegExp(`^Spamtrail weekly antispam report\\nWeek \\d+: .* \\(${week.key}`),
      );
    });

    test("--out writes the HTML; --text prints the text as well, the note goes to stderr", async () => {
      const out = path.join(dir, `w47-${name}.html`);
      const result = await runReportCli(["--db", target, "--week", "2026-W47", "--out", out, "--text"], {
        SPAMTRAIL_BASE_URL: "https://spamtrail.example.com/",
      });
      assert.equal(result.code, 0, result.stderr);
      assert.match(
        result.stdout,
        /^Spamtrail weekly antispam report\nWeek 47: 16–22 Nov 2026 \(2026-W47, mail\)\n/,
      );
      assert.equal(result.stderr, `Wrote the HTML report for 2026-W47 to ${out}.\n`);
      const html = readFileSync(out, "utf8");
      assert.match(html, /^<!DOCTYPE html>/);
      assert.ok(html.includes('href="https://spamtrail.example.com/findings/'));
    });

    test("a custom range is reported and recorded under its own period; builds are recorded as built", async () => {
      const result = await runReportCli(["--db", target, "--since", "2026-11-22", "--until", "2026-11-22"]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^Spamtrail weekly antispam report\n22 Nov 2026 \(2026-11-22, mail\)\n/);
      assert.match(result.stdout, /^Messages\s+57 \(\+57 vs the period before\)$/m);
      const runs = await prisma.reportRun.findMany({ where: { period: "2026-11-22..2026-11-23" } });
      assert.deepEqual(
        runs.map((r) => [r.status, r.recipients, r.sentAt]),
        [["built", "[]", null]],
      );
    });
  });
}
