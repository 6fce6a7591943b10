import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseWeek } from "../../lib/report/period.ts";
import { renderReport } from "../../lib/report/run-report.ts";
import { bothDatabases } from "../helpers/both-databases.ts";
import { labDatabase } from "./lab-db.ts";

const file = await labDatabase({ nextWeek: true });

for (const { name, skip, prisma } of await bothDatabases(file)) {
  const render = (week: string) =>
    renderReport({
      prisma,
      period: parseWeek(week) ?? assert.fail(week),
      baseUrl: null,
      now: () => new Date(2026, 11, 1, 7),
    });

  describe(`a finding seen again the week after (${name})`, { skip }, () => {
    test("week 48: alice's port-25 login is still open, the rest is quiet, volumes compare with week 47", async () => {
      const { data, text } = await render("2026-W48");
      assert.equal(data.findings.newCount, 0);
      assert.deepEqual(
        data.findings.ongoingGroups.flatMap((g) => g.findings.map((f) => `${f.kind} ${f.isNew}`)).sort(),
        ["auth-on-port-25 false", "verdict-on-authenticated false", "verdict-on-outgoing false"],
      );
      assert.equal(data.findings.quiet, 10);
      const flat = text.replace(/\s+/g, " ");
      assert.match(flat, /Still open \(3\) =+ Seen before and again this week\./);
      assert.match(
        flat,
        /1 message sent by 1 logged-in user \(alice@example\.com\) on the port-25 smtpd .* Open since 2026-11-22\./,
      );
      assert.match(flat, /10 older findings still open but not seen this week/);
      // Every finding still open counts, those not seen this week too: 13, 3 of them seen again.
      assert.match(text, /^Open findings\s+13: 2 high, 8 medium, 3 low \(3 seen again\)$/m);
      assert.doesNotMatch(flat, /New this week/);
      assert.match(text, /^Messages\s+1 \(−56 \(−98%\) vs last week\)$/m);
      assert.match(text, /^Logged-in users\s+0\s+1\s+0\s+1\s+9\s+−8 \(−89%\)$/m);
    });

    test("a week without mail says so, and the findings still open", async () => {
      const { data, text } = await render("2026-W50");
      assert.equal(data.verdict.status, "no-data");
      assert.match(
        text.replace(/\s+/g, " "),
        /No mail logged between 2026-12-07 00:00 and 2026-12-14 00:00\. Is Spamtrail still reading the mail logs\?/,
      );
      assert.match(text, /^Open findings\s+13: 2 high, 8 medium, 3 low \(none seen this week\)$/m);
    });

    test("week 47 still counts that finding as new, with its evidence of that week only", async () => {
      const { data } = await render("2026-W47");
      const loggedIn = data.findings.newGroups
        .flatMap((g) => g.findings)
        .find((f) => f.kind === "verdict-on-authenticated");
      assert.equal(loggedIn?.isNew, true);
      assert.equal(
        loggedIn?.count,
        4,
        "alice's two, dave's and erin's messages of week 47, not alice's of week 48",
      );
      assert.equal(data.findings.ongoingCount, 0);
    });
  });
}
