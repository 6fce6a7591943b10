import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type AddressObject, simpleParser } from "mailparser";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { bothDatabases } from "../helpers/both-databases.ts";
import { labDatabase } from "./lab-db.ts";
import { runReportCli } from "./run-report-cli.ts";
import { closedPort, type ReceivedMail, startSmtpSink } from "./smtp.ts";

const LOGIN = { user: "reports@example.com", password: "s3cret pass" };
const BASE = "https://spamtrail.example.com";

const smtpEnv = (port: number, password = LOGIN.password): Record<string, string> => ({
  SPAMTRAIL_SMTP_HOST: "127.0.0.1",
  SPAMTRAIL_SMTP_PORT: String(port),
  SPAMTRAIL_SMTP_SECURE: "none",
  SPAMTRAIL_SMTP_USER: LOGIN.user,
  SPAMTRAIL_SMTP_PASSWORD: password,
  SPAMTRAIL_REPORT_FROM: "Spamtrail <spamtrail@mail.example.com>",
  SPAMTRAIL_REPORT_TO: "postmaster@example.com, ops@example.com",
  SPAMTRAIL_BASE_URL: BASE,
});

const addresses = (field: AddressObject | AddressObject[] | undefined) =>
  (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address));

async function runsOf(prisma: PrismaClient, period = "2026-W47") {
  return prisma.reportRun.findMany({ where: { period }, orderBy: { id: "asc" } });
}

// Made at the top level: temporary files and child processes live as long as this test file. Each
// database (SQLite, its PostgreSQL copy) has its own copies and SMTP servers: the cases record runs
// and count the mail received.
const smtpSinks = () =>
  Promise.all([
    startSmtpSink({ auth: LOGIN }),
    startSmtpSink({ auth: LOGIN, rejectRecipients: ["nobody@example.com"] }),
  ]);
const [sentDbs, failDbs, sinks] = await Promise.all([
  labDatabase().then(bothDatabases),
  labDatabase().then(bothDatabases),
  Promise.all([smtpSinks(), smtpSinks()]),
]);

for (const i of [0, 1] as const) {
  const { name, skip } = sentDbs[i];
  const [sink, strictSink] = sinks[i];

  describe(`spamtrail report --send through a real SMTP server (${name})`, { skip }, () => {
    const file = sentDbs[i].target;
    const prisma = sentDbs[i].prisma;
    let received: ReceivedMail | undefined;

    test("mails the lab sample's week as one multipart message and records it as sent", async () => {
      const result = await runReportCli(["--db", file, "--week", "2026-W47", "--send"], smtpEnv(sink.port));
      assert.equal(result.code, 0, result.stderr);
      assert.equal(
        result.stdout,
        "Sent the report for 2026-W47 to postmaster@example.com, ops@example.com.\n",
      );
      assert.deepEqual(sink.logins, [{ user: LOGIN.user, ok: true }]);
      assert.equal(sink.messages.length, 1);
      received = sink.messages[0];
      assert.equal(received?.from, "spamtrail@mail.example.com");
      assert.deepEqual(received?.to, ["postmaster@example.com", "ops@example.com"]);

      const [run] = await runsOf(prisma);
      assert.equal(run?.status, "sent");
      assert.ok(run?.sentAt);
      assert.equal(run?.error, null);
      assert.deepEqual(JSON.parse(run?.recipients ?? ""), ["postmaster@example.com", "ops@example.com"]);
      assert.equal(run?.subject, "Spamtrail 2026-W47 on mail: needs attention: 2 high and 8 medium findings");
    });

    test("the mail: subject, addresses, an HTML and a plain-text alternative", async () => {
      assert.ok(received, "the first test sent a mail");
      const mail = await simpleParser(received.raw);
      assert.equal(mail.subject, "Spamtrail 2026-W47 on mail: needs attention: 2 high and 8 medium findings");
      assert.deepEqual(addresses(mail.from), ["spamtrail@mail.example.com"]);
      assert.deepEqual(addresses(mail.to), ["postmaster@example.com", "ops@example.com"]);
      assert.equal(mail.headers.get("auto-submitted"), "auto-generated");
      assert.match(
        String(mail.headers.get("content-type") && received.raw.toString("utf8")),
        /multipart\/alternative/,
      );
      assert.equal(typeof mail.html, "string");
      assert.ok(mail.text && mail.text.length > 2000);
      assert.equal(mail.attachments.length, 0);
      assert.doesNotMatch(mail.text, /<(td|table|div|span|b)\b/, "the text part is not HTML");
    });

    test("both parts show the sample's findings: duplicates, misdirected retraining, verdicts on mail that should not be filtered", async () => {
      assert.ok(received, "the first test sent a mail");
      const mail = await simpleParser(received.raw);
      const text = mail.text ?? "";
      const html = String(mail.html);
      const flat = text.replace(/\s+/g, " ");
      const htmlText = html
        .replace(/<[^>]+>/g, " ")
        .replace(/&nbsp;/g, " ")
        .replace(/\s+/g, " ");

      // the one-line verdict
      assert.match(text, /^NEEDS ATTENTION: 2 high and 8 medium findings\.$/m);
      assert.match(htmlText, /Needs attention: 2 high and 8 medium findings\./);
      // duplicate deliveries to the pager forward
      assert.match(
        text,
        /^ {2}\* bob\.oncall@pager\.example\.net: 16 messages, 16 extra copies\n {4}reached via bob\.oncall@pager\.example\.net, bob@example\.com$/m,
      );
      assert.match(htmlText, /Duplicate deliveries .*bob\.oncall@pager\.example\.net 16 16/);
      // misdirected retraining of bob, alice and dave: one finding for the cause, with the training table
      const misdirected =
        /4 retrainings by IMAP logins without a domain \(alice, bob, dave\) went to DSPAM users alice, bob, dave, but alice@example\.com, bob@example\.com, dave@example\.com classified the mail/;
      assert.match(flat, misdirected);
      assert.match(htmlText, misdirected);
      assert.match(text, /^bob@example\.com\s+2\s+0\s+2\s+2\s+0%$/m);
      assert.match(text, /^alice@example\.com\s+3\s+2\s+1\s+1\s+67%$/m);
      assert.match(text, /^dave@example\.com\s+1\s+0\s+1\s+1\s+0%$/m);
      // verdicts on authenticated, local and outgoing mail
      // (every copy DSPAM judged counts, bounced and deferred ones too; bounces are mail made on the server)
      assert.match(text, /^Sent by logged-in users\s+9\s+4\s+0$/m);
      assert.match(text, /^Made on the server \(scripts, cron, bounces\)\s+12\s+9\s+0$/m);
      assert.match(text, /^Outgoing to other servers\s+–\s+12\s+0$/m);
      assert.match(text, /^ {2}- 4 messages from logged-in users were filtered like mail from strangers$/m);
      const loggedIn =
        /4 messages sent by 3 logged-in users \(alice@example\.com, dave, erin@example\.com\) on the port-25 smtpd/;
      assert.match(flat, loggedIn);
      assert.match(htmlText, /Verdicts on authenticated and outgoing mail/);
      assert.match(htmlText, loggedIn);
      // examples carry their Message-IDs, linked into the dashboard
      assert.match(text, /e\.g\. <20261122032656\.6a48d4f29c\.b41@example\.com> "Team dinner next week"/);
      assert.ok(html.includes(`href="${BASE}/messages/20261122032656.6a48d4f29c.b41%40example.com"`));
      assert.match(html, new RegExp(`href="${BASE}/findings/\\d+"`));
      assert.ok(html.includes(`href="${BASE}/users/bob%40example.com"`));
      // volumes with the change against the week before
      assert.match(text, /^From the Internet\s+12\s+24\s+0\s+36\s+0\s+\+36$/m);
      assert.match(text, /^Total\s+12\s+37\s+8\s+57\s+0\s+\+57$/m);
    });

    test("a second run sends nothing and says so; --force sends it again", async () => {
      const again = await runReportCli(["--db", file, "--week", "2026-W47", "--send"], smtpEnv(sink.port));
      assert.equal(again.code, 0, again.stderr);
      assert.match(
        again.stdout,
        /^The report for 2026-W47 was already sent on \d{4}-\d\d-\d\d \d\d:\d\d to postmaster@example\.com, ops@example\.com; nothing sent \(--force sends it again\)\.\n$/,
      );
      assert.equal(sink.messages.length, 1);
      assert.equal((await runsOf(prisma)).length, 1);

      const forced = await runReportCli(
        ["--db", file, "--week", "2026-W47", "--send", "--force", "--to", "boss@example.com"],
        smtpEnv(sink.port),
      );
      assert.equal(forced.code, 0, forced.stderr);
      assert.equal(sink.messages.length, 2);
      assert.deepEqual(sink.messages[1]?.to, ["boss@example.com"]);
      assert.deepEqual(
        (await runsOf(prisma)).map((r) => r.status),
        ["sent", "sent"],
      );
    });
  });

  describe(`spamtrail report --send when the server refuses (${name})`, { skip }, () => {
    const file = failDbs[i].target;
    const prisma = failDbs[i].prisma;
    const sink = strictSink;

    test("a refused login: the server's words, exit 1, the week recorded as failed and not sent", async () => {
      const result = await runReportCli(
        ["--db", file, "--week", "2026-W47", "--send"],
        smtpEnv(sink.port, "wrong"),
      );
      assert.equal(result.code, 1);
      assert.equal(result.stdout, "");
      assert.equal(
        result.stderr,
        `spamtrail report: not sent: the SMTP server 127.0.0.1:${sink.port} refused the login of '${LOGIN.user}': 535 5.7.8 Authentication credentials invalid (check SPAMTRAIL_SMTP_USER and SPAMTRAIL_SMTP_PASSWORD)\n`,
      );
      assert.equal(sink.messages.length, 0);
      const runs = await runsOf(prisma);
      assert.deepEqual(
        runs.map((r) => [r.status, r.sentAt]),
        [["failed", null]],
      );
      assert.match(runs[0]?.error ?? "", /refused the login/);
    });

    test("a refused connection: nothing listens on the port", async () => {
      const port = await closedPort();
      const result = await runReportCli(["--db", file, "--week", "2026-W47", "--send"], smtpEnv(port));
      assert.equal(result.code, 1);
      assert.equal(
        result.stderr,
        `spamtrail report: not sent: cannot talk to the SMTP server 127.0.0.1:${port}: connection refused (nothing listens there) (check SPAMTRAIL_SMTP_HOST, SPAMTRAIL_SMTP_PORT and SPAMTRAIL_SMTP_SECURE)\n`,
      );
      assert.deepEqual(
        (await runsOf(prisma)).map((r) => r.status),
        ["failed", "failed"],
      );
    });

    test("STARTTLS required but not offered: a clear TLS error, not sent", async () => {
      const result = await runReportCli(["--db", file, "--week", "2026-W47", "--send"], {
        ...smtpEnv(sink.port),
        SPAMTRAIL_SMTP_SECURE: "starttls",
      });
      assert.equal(result.code, 1);
      assert.match(
        result.stderr,
        /^spamtrail report: not sent: TLS with the SMTP server 127\.0\.0\.1:\d+ failed: .*STARTTLS.*\(check SPAMTRAIL_SMTP_SECURE/,
      );
      assert.equal(sink.messages.length, 0);
    });

    test("every recipient refused: failed; one of two refused: sent to the other, exit 1, the refusal recorded", async () => {
      const none = await runReportCli(
        ["--db", file, "--week", "2026-W47", "--send", "--to", "nobody@example.com"],
        smtpEnv(sink.port),
      );
      assert.equal(none.code, 1);
      assert.match(
        none.stderr,
        /^spamtrail report: not sent: the SMTP server 127\.0\.0\.1:\d+ refused the sender or the recipients: 550 5\.1\.1 <nobody@example\.com>: Recipient address rejected/,
      );
      assert.equal(sink.messages.length, 0);
      assert.equal(
        (await runsOf(prisma)).some((r) => r.status === "sent"),
        false,
      );

      const some = await runReportCli(
        [
          "--db",
          file,
          "--week",
          "2026-W47",
          "--send",
          "--to",
          "nobody@example.com",
          "--to",
          "ops@example.com",
        ],
        smtpEnv(sink.port),
      );
      assert.equal(some.code, 1);
      assert.equal(some.stdout, "Sent the report for 2026-W47 to ops@example.com.\n");
      assert.equal(
        some.stderr,
        "spamtrail report: the SMTP server refused nobody@example.com; they got nothing\n",
      );
      assert.deepEqual(
        sink.messages.map((m) => m.to),
        [["ops@example.com"]],
      );
      const sent = (await runsOf(prisma)).filter((r) => r.status === "sent");
      assert.equal(sent.length, 1);
      assert.deepEqual(JSON.parse(sent[0]?.recipients ?? ""), ["ops@example.com"]);
      assert.equal(sent[0]?.error, "refused recipients: nobody@example.com");
    });
  });
}
