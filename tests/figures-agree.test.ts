// The weekly report, the dashboard and the CLI read their figures from the same functions: built
// on one database for one period, they say the same numbers (the lab sample, and a generated log).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { findingToJson } from "../lib/cli/commands/findings.ts";
import { localDate } from "../lib/core/format.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { getFindingsPage } from "../lib/queries/finding-list.ts";
import { getHealthFacts } from "../lib/queries/health-checks.ts";
import { countMessages } from "../lib/queries/messages.ts";
import { getOverview } from "../lib/queries/stats.ts";
import { listTrainings } from "../lib/queries/trainings.ts";
import { getUserHealth } from "../lib/queries/users.ts";
import { buildReport } from "../lib/report/build.ts";
import { rangePeriod } from "../lib/report/period.ts";
import { generateLogSet } from "./bench/generated-logs.ts";
import { bothDatabases } from "./helpers/both-databases.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { runCli } from "./helpers/run-cli.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

type FindingJson = ReturnType<typeof findingToJson>;
type UserJson = {
  user: string;
  retrains: number;
  retrainsApplied: number;
  retrainsFailed: number;
  retrainsMisdirected: number;
};

const generated = generateLogSet("agree-600-s5", [
  "--messages",
  "600",
  "--seed",
  "5",
  "--inject-faults",
  "a=0.1,b=0.3,c=0.3,d=0.3",
]);
const DATABASES = [
  { name: "the lab sample", paths: [LAB_LOGS], year: LAB_YEAR, days: ["2026-11-22", "2026-11-23"] },
  {
    name: "a generated log with faults",
    paths: [generated.mailLog, generated.syslog, generated.dspamDir],
    year: 2024,
    days: ["2024-03-01", "2024-03-02"],
  },
];

for (const source of DATABASES) {
  describe(`report, dashboard and CLI agree on ${source.name}`, async () => {
    const { db, file } = tempDatabase();
    await ingestLogs(db, source.paths, { year: source.year });
    db.close();
    // The same database on SQLite and copied into PostgreSQL: the figures agree on each.
    for (const { name, skip, target, prisma } of await bothDatabases(file)) {
      describe(`on ${name}`, { skip }, async () => {
        const [from, to] = source.days as [string, string];
        const period = rangePeriod(new Date(`${from}T00:00:00`), new Date(`${to}T00:00:00`));
        const range = { since: period.since, until: period.until };
        const report = await buildReport(period, { prisma, now: new Date() });
        const overview = await getOverview(range, prisma);
        const cli = async <T>(args: string[]) => {
          const { code, stdout, stderr } = await runCli([
            ...args,
            "--db",
            target,
            "--since",
            from,
            "--until",
            localDate(new Date(period.until.getTime() - 1)),
          ]);
          assert.equal(code, 0, stderr);
          return JSON.parse(stdout) as T;
        };
        const findings = await cli<FindingJson[]>(["findings", "--json"]);
        const users = await cli<UserJson[]>(["users", "--json"]);

        test("messages, spam and retraining: the report's key numbers are the overview's", async () => {
          assert.ok(overview.messages > 0);
          assert.deepEqual(
            [report.overview.messages, report.overview.byVerdict.spam, report.overview.trainings],
            [overview.messages, overview.byVerdict.spam, overview.trainings],
          );
          assert.equal(
            overview.trainings.attempts,
            (await listTrainings({ ...range, outcome: "all" }, {}, prisma)).total,
          );
          assert.equal(
            overview.trainings.failed,
            (await listTrainings({ ...range, outcome: "failed" }, {}, prisma)).total,
          );
        });

        test("each open finding: the same findings, and the same number of messages, in the report, the dashboard's list and the CLI", async () => {
          const inReport = [...report.findings.newGroups, ...report.findings.ongoingGroups].flatMap(
            (g) => g.findings,
          );
          const page = await getFindingsPage(
            { ...range, statuses: ["open"] },
            { number: 1, size: 1000 },
            prisma,
          );
          const cliOpen = findings.filter((f) => f.status === "open");
          const byId = (rows: { id: number; messages: number }[]) =>
            Object.fromEntries(
              rows.map((r) => [r.id, r.messages]).sort((a, b) => Number(a[0]) - Number(b[0])),
            );
          assert.ok(inReport.length > 0);
          assert.deepEqual(byId(inReport), byId(page.cards));
          assert.deepEqual(byId(inReport), byId(cliOpen));
          const total = report.findings.openTotal;
          assert.equal(total.high + total.medium + total.low, page.total);
          assert.deepEqual(total, overview.openFindings);
        });

        test("what the report says needs attention counts the messages the dashboard lists", async () => {
          for (const group of [...report.findings.newGroups, ...report.findings.ongoingGroups]) {
            const listed = await countMessages(
              { findingIds: group.findings.map((f) => f.id), ...range },
              prisma,
            );
            assert.equal(group.messages, listed, group.kind);
          }
        });

        test("mail that should not pass DSPAM: the report's table, the health check and the message lists", async () => {
          const [authenticated, local, outgoing] = report.unfiltered;
          const facts = await getHealthFacts(overview, range, prisma);
          assert.equal(
            facts.scopeMessages,
            await countMessages(
              { findings: ["verdict-on-authenticated", "verdict-on-local", "verdict-on-outgoing"], ...range },
              prisma,
            ),
          );
          for (const row of report.unfiltered)
            assert.equal(
              row.judged,
              await countMessages({ ...row.judgedFilter, ...range }, prisma),
              row.what,
            );
          assert.equal(authenticated?.messages, overview.byOrigin.authenticated);
          assert.equal(local?.messages, overview.byOrigin.local);
          assert.equal(outgoing?.messages, null);
          // The CLI's findings of each kind cover the same messages (the kind has one finding per cause).
          for (const row of report.unfiltered) {
            const kind = row.judgedFilter.findings?.[0];
            const ids = findings.filter((f) => f.kind === kind).map((f) => f.id);
            assert.equal(
              row.judged,
              await countMessages({ findingIds: ids, ...range }, prisma),
              `${kind} in the CLI`,
            );
          }
        });

        test("retraining per user: the report's table, the dashboard's and spamtrail users", async () => {
          const dashboard = await getUserHealth(range, prisma);
          const pick = (u: UserJson) => [
            u.user,
            u.retrains,
            u.retrainsApplied,
            u.retrainsFailed,
            u.retrainsMisdirected,
          ];
          const withRetrains = (rows: UserJson[]) =>
            rows
              .filter((u) => u.retrains > 0)
              .map(pick)
              .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
          assert.deepEqual(withRetrains(report.training.rows), withRetrains(dashboard));
          assert.deepEqual(withRetrains(users), withRetrains(dashboard));
        });
      });
    }
  });
}
