import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ReportConfig } from "../../lib/report/config.ts";
import { acquireSendLock, releaseSendLock } from "../../lib/report/runs.ts";
import { dueAt, latestDueWeek, sendDueReports } from "../../lib/report/schedule.ts";
import { type MailSender, type OutgoingMail, SendError } from "../../lib/report/send.ts";
import { bothDatabases } from "../helpers/both-databases.ts";
import { tempDatabase } from "../helpers/temp-db.ts";
import { labDatabase } from "./lab-db.ts";

const at = (month: number, d: number, h = 0, min = 0) => new Date(2026, month - 1, d, h, min);

const config: ReportConfig = {
  smtp: { host: "127.0.0.1", port: 1, security: "none", user: null, password: null, timeoutMs: 1000 },
  from: "spamtrail@mail.example.com",
  to: ["postmaster@example.com"],
  baseUrl: null,
  schedule: "0 7 * * 1",
};

/** A fake SMTP: records what it was given; fails while `failing` is set. */
function fakeSender() {
  const sent: OutgoingMail[] = [];
  const state = { failing: false };
  const sender: MailSender = async (mail) => {
    if (state.failing) throw new SendError("the SMTP server 127.0.0.1:1 refused the login", "EAUTH");
    sent.push(mail);
    return { accepted: [...mail.to], rejected: [], response: "250 OK", messageId: "<x@y>" };
  };
  return { sent, state, sender };
}

// Each database's own copies: the cases write report runs and locks.
const [okDbs, failDbs, emptyDbs] = await Promise.all([
  labDatabase().then(bothDatabases),
  labDatabase().then(bothDatabases),
  bothDatabases(tempDatabase().file),
]);

describe("which week is due", () => {
  test("a week falls due at the schedule's first time after it ends", () => {
    const week = latestDueWeek(at(11, 23, 7), "0 7 * * 1");
    assert.equal(week?.key, "2026-W47");
    assert.deepEqual(week && dueAt(week, "0 7 * * 1"), at(11, 23, 7));
    assert.equal(latestDueWeek(at(11, 23, 6, 59), "0 7 * * 1")?.key, "2026-W46");
    assert.equal(latestDueWeek(at(11, 23, 0), "0 0 * * 1")?.key, "2026-W47", "due the moment it ends");
  });

  test("a sparse schedule reaches back to the latest week it covers", () => {
    assert.equal(latestDueWeek(at(12, 1, 7), "0 7 1 * *")?.key, "2026-W48");
    // W44 (26 Oct – 1 Nov) ends after 1 Nov 07:00: the last week due on 1 Nov is W43
    assert.equal(latestDueWeek(at(11, 30, 12), "0 7 1 * *")?.key, "2026-W43");
  });
});

for (const i of [0, 1] as const) {
  const { name, skip } = okDbs[i];

  describe(`sendDueReports on the lab sample (fake SMTP, fake clock) (${name})`, { skip }, () => {
    const prisma = okDbs[i].prisma;
    const fake = fakeSender();
    const run = (now: Date, extra: { force?: boolean } = {}) =>
      sendDueReports({ prisma, config, now: () => now, sender: fake.sender, ...extra });

    test("before Monday 07:00 the due week is W46, which precedes all mail: nothing sent", async () => {
      const result = await run(at(11, 23, 6));
      assert.equal(result.action, "not-due");
      assert.equal(result.period, "2026-W46");
      assert.deepEqual(result.nextDue, at(11, 23, 7));
      assert.equal(fake.sent.length, 0);
    });

    test("started on Tuesday after missing Monday's time: sends W47 at once", async () => {
      const result = await run(at(11, 24, 9, 30));
      assert.equal(result.action, "sent");
      assert.equal(result.period, "2026-W47");
      assert.deepEqual(result.nextDue, at(11, 30, 7));
      assert.equal(fake.sent.length, 1);
      assert.equal(
        fake.sent[0]?.subject,
        "Spamtrail 2026-W47 on mail: needs attention: 2 high and 8 medium findings",
      );
      const runs = await prisma.reportRun.findMany({ where: { period: "2026-W47" } });
      assert.deepEqual(
        runs.map((r) => [r.status, r.sentAt?.getTime()]),
        [["sent", at(11, 24, 9, 30).getTime()]],
      );
    });

    test("called again (every minute, after a restart): the week is sent once", async () => {
      for (const now of [at(11, 24, 9, 31), at(11, 26, 12), at(11, 30, 6, 59)]) {
        const result = await run(now);
        assert.equal(result.action, "already-sent", String(now));
      }
      assert.equal(fake.sent.length, 1);
    });

    test("force sends it again", async () => {
      const result = await run(at(11, 25), { force: true });
      assert.equal(result.action, "sent");
      assert.equal(fake.sent.length, 2);
    });

    test("another process holding the week's lock: busy, nothing sent", async () => {
      const lock = await acquireSendLock(prisma, "2026-W48", at(12, 1, 8));
      assert.ok(lock);
      const result = await run(at(12, 1, 8, 1));
      assert.equal(result.action, "busy");
      await releaseSendLock(prisma, "2026-W48", lock);
      assert.equal(fake.sent.length, 2);
    });

    test("the next week is due the next Monday, even without new mail (an empty week is news)", async () => {
      const result = await run(at(12, 1, 8, 2));
      assert.equal(result.action, "sent");
      assert.equal(result.period, "2026-W48");
      assert.equal(fake.sent.at(-1)?.subject, "Spamtrail 2026-W48: no mail logged");
    });
  });

  describe(`sendDueReports when sending fails (${name})`, { skip }, () => {
    const prisma = failDbs[i].prisma;
    const fake = fakeSender();
    const run = (now: Date) => sendDueReports({ prisma, config, now: () => now, sender: fake.sender });

    test("a failed attempt is recorded, not sent, and retried an hour later", async () => {
      fake.state.failing = true;
      const failed = await run(at(11, 23, 7));
      assert.equal(failed.action, "failed");
      assert.equal(
        failed.action === "failed" && failed.error,
        "the SMTP server 127.0.0.1:1 refused the login",
      );

      const soon = await run(at(11, 23, 7, 30));
      assert.equal(soon.action, "retry-later");
      assert.deepEqual(soon.action === "retry-later" && soon.retryAt, at(11, 23, 8));

      const still = await run(at(11, 23, 8));
      assert.equal(still.action, "failed");

      fake.state.failing = false;
      const sent = await run(at(11, 23, 9, 1));
      assert.equal(sent.action, "sent");
      const runs = await prisma.reportRun.findMany({ where: { period: "2026-W47" }, orderBy: { id: "asc" } });
      assert.deepEqual(
        runs.map((r) => r.status),
        ["failed", "failed", "sent"],
      );
      assert.equal(runs[0]?.sentAt, null);
    });
  });

  describe(`sendDueReports on an empty database (${name})`, { skip }, () => {
    test("nothing is due before any mail was logged", async () => {
      const fake = fakeSender();
      const result = await sendDueReports({
        prisma: emptyDbs[i].prisma,
        config,
        now: () => at(11, 23, 8),
        sender: fake.sender,
      });
      assert.equal(result.action, "not-due");
      assert.equal(fake.sent.length, 0);
    });
  });
}
