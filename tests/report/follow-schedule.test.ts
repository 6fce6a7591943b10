// `spamtrail follow` with SPAMTRAIL_REPORT_TO: the due week's report is mailed once, through a real
// SMTP server, right after catching up; a restart does not send it again.
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import path from "node:path";
import { after, describe, test } from "node:test";
import { simpleParser } from "mailparser";
import { projectRoot } from "../../lib/core/paths.ts";
import { latestDueWeek } from "../../lib/report/schedule.ts";
import { waitFor } from "../follow/check.ts";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";
import { tempDir } from "../helpers/temp-dir.ts";
import { startSmtpSink } from "./smtp.ts";

const sink = await startSmtpSink();

/** Runs `spamtrail follow` until it said `until`, then stops it with SIGTERM; returns what it printed. */
async function followUntil(dbFile: string, until: RegExp): Promise<string> {
  const child = spawn(
    process.execPath,
    [
      path.join("lib", "cli", "spamtrail.mjs"),
      "follow",
      "--db",
      dbFile,
      "--year",
      String(LAB_YEAR),
      LAB_LOGS,
    ],
    {
      cwd: projectRoot(),
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        SPAMTRAIL_SMTP_HOST: "127.0.0.1",
        SPAMTRAIL_SMTP_PORT: String(sink.port),
        SPAMTRAIL_SMTP_SECURE: "none",
        SPAMTRAIL_REPORT_FROM: "spamtrail@mail.example.com",
        SPAMTRAIL_REPORT_TO: "postmaster@example.com",
      },
    },
  );
  after(() => child.kill("SIGKILL"));
  let out = "";
  child.stdout.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    out += chunk.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  await waitFor(() => until.test(out), `${until} in: ${out}`, 60_000);
  child.kill("SIGTERM");
  assert.equal(await exited, 0, out);
  return out;
}

describe("the weekly report from spamtrail follow", () => {
  test("the week due now is mailed once after catching up, and not again after a restart", async () => {
    const dbFile = path.join(tempDir("spamtrail-follow-report-"), "follow.db");
    const week = latestDueWeek(new Date(), "0 7 * * 1");
    assert.ok(week, "some week is always due on a weekly schedule");

    const first = await followUntil(dbFile, /^Weekly report .*(sent|not sent).*$/m);
    assert.match(first, /^Weekly report: to postmaster@example\.com on '0 7 \* \* 1'$/m);
    assert.match(first, new RegExp(`^Weekly report ${week.key} sent to postmaster@example\\.com$`, "m"));
    assert.equal(sink.messages.length, 1);
    const mail = await simpleParser(sink.messages[0]?.raw ?? Buffer.alloc(0));
    assert.match(mail.subject ?? "", new RegExp(week.key.replace("-", ".")));
    assert.ok(mail.text && mail.html, "both parts");

    const second = await followUntil(dbFile, /^Weekly report .*was sent before/m);
    assert.match(second, new RegExp(`^Weekly report ${week.key} was sent before; next due `, "m"));
    assert.equal(sink.messages.length, 1, "nothing more was sent");
  });

  test("a bad report setting is a usage error before anything is followed", () => {
    const child = spawn(
      process.execPath,
      [
        path.join("lib", "cli", "spamtrail.mjs"),
        "follow",
        "--db",
        path.join(tempDir("spamtrail-"), "x.db"),
        LAB_LOGS,
      ],
      {
        cwd: projectRoot(),
        env: {
          ...process.env,
          SPAMTRAIL_REPORT_TO: "postmaster@example.com",
          SPAMTRAIL_SMTP_SECURE: "maybe",
        },
      },
    );
    let err = "";
    child.stderr.on("data", (chunk: Buffer) => {
      err += chunk.toString();
    });
    return new Promise<void>((resolve) =>
      child.on("exit", (code) => {
        assert.equal(code, 2);
        assert.match(err, /SPAMTRAIL_SMTP_SECURE must be auto, starttls, tls or none, got 'maybe'/);
        resolve();
      }),
    );
  });
});
