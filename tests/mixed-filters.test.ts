// A server moving from DSPAM to Rspamd: the database holds both filters' verdicts and retrainings.
// The DSPAM lab is ingested; an Rspamd-scanned message and its retraining are written through the
// store (SQLite's and PostgreSQL's writers) the way the correlator hands them over. Pages, the CLI
// and the report read both and name each filter.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JourneyRecord, VerdictRecord } from "../lib/core/journey.ts";
import { assignVerdicts } from "../lib/correlate/assign-verdicts.ts";
import type { ResolvedTraining, StoreWrite } from "../lib/correlate/resolve.ts";
import { migratePostgres } from "../lib/db/migrate-postgres.ts";
import { postgresPool } from "../lib/db/postgres.ts";
import { postgresPrismaFor, prismaFor } from "../lib/db/prisma.ts";
import { filtersLabel } from "../lib/filters/registry.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { getFiltersInUse } from "../lib/queries/filters-in-use.ts";
import { getOverview } from "../lib/queries/stats.ts";
import { getUserHealth, type UserHealth } from "../lib/queries/users.ts";
import { buildReport } from "../lib/report/build.ts";
import { rangePeriod } from "../lib/report/period.ts";
import { renderText } from "../lib/report/render-text.ts";
import { readJourney, toStoredTraining } from "../lib/store/journey-reader.ts";
import { JourneyWriter } from "../lib/store/journey-writer.ts";
import { PostgresJourneyWriter } from "../lib/store/postgres/journey-writer.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { freshPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { runCli } from "./helpers/run-cli.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const USER = "carol@example.com";
const MESSAGE_ID = "rspamd-scan-1@partner.example.org";
const lab = tempDatabase();
await ingestLogs(lab.db, [LAB_LOGS], { year: LAB_YEAR });

// A lab message DSPAM judged for carol, as Rspamd would have scanned it after the move: one queue,
// no reinjection, the milter's verdict on the queue it scanned.
function rspamdJourney(): JourneyRecord {
  const id = lab.db
    .prepare(
      `SELECT v.journeyId FROM Verdict v JOIN Delivery d ON d.journeyId = v.journeyId
       WHERE v.filterUser = ? AND d.destination = 'mailbox' AND d.status = 'sent' ORDER BY v.id LIMIT 1`,
    )
    .pluck()
    .get(USER) as number;
  const dspam = readJourney(lab.db, id) ?? assert.fail("a lab journey of carol");
  const queue = dspam.queues[0] ?? assert.fail();
  const later = 7 * 24 * 3600_000;
  const queueId = "4RSPAMD1";
  const verdict: VerdictRecord = {
    ts: queue.firstTs + later,
    filter: "rspamd",
    filterUser: USER,
    result: "spam",
    action: "add header",
    score: 9.5,
    signature: null,
    status: "",
    from: null,
    subject: dspam.subject,
    messageId: MESSAGE_ID,
    queueId,
    lineId: 90_000_001,
  };
  const deliveries = dspam.deliveries
    .filter((d) => d.destination === "mailbox")
    .map((d, i) => ({ ...d, queueId, ts: d.ts + later, lineId: 90_000_100 + i, verdict: null }));
  const queues = [{ ...queue, queueId, firstTs: queue.firstTs + later, parent: null }];
  const assigned = assignVerdicts(queues, [verdict], deliveries);
  return {
    ...dspam,
    key: `mail/${queueId}/${Math.floor((queue.firstTs + later) / 1000)}`,
    messageId: MESSAGE_ID,
    firstTs: dspam.firstTs + later,
    lastTs: dspam.lastTs + later,
    queues,
    deliveries: assigned.deliveries,
    verdicts: assigned.verdicts,
    parent: null,
    lines: [],
  };
}

const journey = rspamdJourney();
// carol logs in without her domain: her IMAPSieve script passes the bare login to rspamc.
const training: ResolvedTraining = {
  key: `-/${Math.floor(journey.lastTs / 1000) + 60}/carol`,
  ts: journey.lastTs + 60_000,
  host: "mail",
  login: "carol",
  filter: "rspamd",
  filterUser: "carol",
  classifiedUser: USER,
  signature: null,
  messageId: MESSAGE_ID,
  direction: "innocent",
  outcome: "applied",
  reason: null,
  fromMailbox: "Junk",
  toMailbox: "INBOX",
  lines: [90_000_200],
  journeyKey: journey.key,
};
const writes: StoreWrite[] = [
  { type: "journey", journey, replaces: false },
  { type: "training", training },
];
const writer = new JourneyWriter(lab.db);
lab.db.transaction(() => {
  for (const write of writes) writer.apply(write);
})();

const rowsOf = (users: readonly UserHealth[], user: string) =>
  users
    .filter((u) => u.user === user)
    .map((u) => [u.filter, u.classified, u.spam, u.retrains, u.retrainsMisdirected]);

describe("a database holding DSPAM's and Rspamd's mail", () => {
  test("the Users page's health has a row per filter for a person both judged", async () => {
    const prisma = prismaFor(lab.file);
    const users = await getUserHealth({}, prisma);
    const dspam = users.find((u) => u.user === USER && u.filter === "dspam") ?? assert.fail();
    assert.ok(dspam.classified > 0);
    assert.deepEqual(
      rowsOf(users, USER).find(([filter]) => filter === "rspamd"),
      ["rspamd", 1, 1, 1, 1],
      "one scan, tagged spam; one retraining, aimed at the bare login",
    );
    assert.deepEqual(await getFiltersInUse(prisma), ["dspam", "rspamd"]);
    const overview = await getOverview({ since: new Date(0), until: new Date(8.64e15) }, prisma);
    assert.equal(filtersLabel(overview.filters), "DSPAM and Rspamd");
  });

  test("spamtrail users names the filter of each row; message --json gives the scan's action and score", async () => {
    const text = await runCli(["users", "--db", lab.file]);
    assert.equal(text.code, 0, text.stderr);
    const carol = text.stdout.split("\n").filter((line) => line.startsWith(`${USER} `));
    assert.deepEqual(
      carol.map((line) => line.split(/\s+/)[1]),
      ["DSPAM", "Rspamd"],
    );
    const { code, stdout, stderr } = await runCli(["message", "--db", lab.file, "--json", MESSAGE_ID]);
    assert.equal(code, 0, stderr);
    const message = JSON.parse(stdout);
    assert.deepEqual(
      message.verdicts.map((v: Record<string, unknown>) => [
        v.filter,
        v.user,
        v.result,
        v.action,
        v.score,
        "dspamUser" in v,
      ]),
      [["rspamd", USER, "spam", "add header", 9.5, false]],
    );
    assert.ok(message.deliveries.length > 0);
    for (const d of message.deliveries)
      assert.deepEqual([d.verdictFilter, d.classifiedAs, d.verdict], ["rspamd", USER, "spam"]);
    assert.deepEqual(
      message.trainings.map((t: Record<string, unknown>) => [
        t.filter,
        t.user,
        t.classifiedUser,
        "dspamUser" in t,
      ]),
      [["rspamd", "carol", USER, false]],
    );
    const shown = await runCli(["message", "--db", lab.file, MESSAGE_ID], "", {
      ...process.env,
      SPAMTRAIL_TZ: "UTC",
    });
    assert.match(shown.stdout, /Rspamd spam +Bayes user carol@example\.com +score 9\.5 +action add header/);
    assert.match(shown.stdout, /for Bayes user carol: applied — but carol@example\.com classified it/);
  });

  test("the weekly report names both filters and the filter of each user's training row", async () => {
    const since = new Date(journey.firstTs - 86_400_000);
    const period = rangePeriod(since, new Date(journey.lastTs + 2 * 86_400_000));
    const text = renderText(
      await buildReport(period, { prisma: prismaFor(lab.file), now: new Date() }),
      null,
    );
    assert.match(text, /went\s+through\s+DSPAM\s+and\s+Rspamd/);
    assert.match(text, /carol@example\.com\s+\(Rspamd\)/);
    assert.match(text, /another\s+statistics\s+user/);
  });
});

const skip = await postgresSkip();

describe("the same written by PostgreSQL's writer", { skip }, () => {
  test("both filters' rows for carol, and both filters in use", async () => {
    const url = await freshPostgresDatabase();
    const pool = postgresPool(url);
    const client = await pool.connect();
    try {
      await migratePostgres(pool);
      const pgWriter = new PostgresJourneyWriter(client);
      const dspamIds = lab.db
        .prepare(
          `SELECT DISTINCT journeyId FROM Verdict WHERE filter = 'dspam' AND filterUser = ? AND journeyId IS NOT NULL`,
        )
        .pluck()
        .all(USER) as number[];
      await client.query("BEGIN");
      for (const id of dspamIds) {
        const dspam = readJourney(lab.db, id) ?? assert.fail();
        await pgWriter.apply({ type: "journey", journey: { ...dspam, parent: null }, replaces: false });
      }
      const dspamTrainings = (
        lab.db
          .prepare(
            `SELECT * FROM Training WHERE filter = 'dspam' AND lower(coalesce(classifiedUser, filterUser, login)) = ?`,
          )
          .all(USER) as Record<string, unknown>[]
      ).map(toStoredTraining);
      assert.ok(dspamTrainings.length > 0);
      for (const { journeyId: _, ...stored } of dspamTrainings)
        await pgWriter.apply({ type: "training", training: { ...stored, journeyKey: null } });
      for (const write of writes) await pgWriter.apply(write);
      await client.query("COMMIT");
      const prisma = postgresPrismaFor(url) as unknown as Parameters<typeof getUserHealth>[1];
      const users = await getUserHealth({}, prisma);
      const sqlite = await getUserHealth({}, prismaFor(lab.file));
      assert.deepEqual(
        rowsOf(users, USER),
        rowsOf(sqlite, USER),
        "the same figures as SQLite for carol under both filters",
      );
      assert.deepEqual(await getFiltersInUse(prisma), ["dspam", "rspamd"]);
    } finally {
      client.release();
      await pool.end();
    }
  });
});
