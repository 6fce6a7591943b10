// The host filter (?host=, --host) on a database of several mail servers: three generated servers
// and one message that crossed three others (mx1 → filter host → IMAP host). Each number is the
// length of its list on one server; SQLite and PostgreSQL give the same answers.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { postgresPrismaFor, prismaFor } from "../../lib/db/prisma.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { listFindings } from "../../lib/queries/finding-list.ts";
import { getFindings } from "../../lib/queries/findings.ts";
import { countMessages, searchMessages } from "../../lib/queries/messages.ts";
import { getHostSummaries } from "../../lib/queries/report-stats.ts";
import { getDailyTrainings, getDailyVolumes, getHosts, getOverview } from "../../lib/queries/stats.ts";
import { listTrainings } from "../../lib/queries/trainings.ts";
import { getUserDetail } from "../../lib/queries/user-detail.ts";
import { getUserHealth } from "../../lib/queries/users.ts";
import { generatedYear, generateLogSet } from "../bench/generated-logs.ts";
import { writeCrossHostLogs } from "../helpers/cross-host-lines.ts";
import { freshPostgresDatabase, postgresSkip } from "../helpers/postgres.ts";
import { runCli, withoutGeneratedTime } from "../helpers/run-cli.ts";
import { tempDatabase } from "../helpers/temp-db.ts";
import { tempDir } from "../helpers/temp-dir.ts";

const logs = generateLogSet("hosts3-400-s7", ["--messages", "400", "--hosts", "3", "--seed", "7"], {
  splitHosts: true,
});
const crossing = writeCrossHostLogs(tempDir());
const sqlite = tempDatabase();
await ingestLogs(sqlite.db, [logs.mailLog, logs.syslog, logs.dspamDir], { year: generatedYear(logs) });
await ingestLogs(sqlite.db, [...crossing.mx1, ...crossing.filter, ...crossing.imap], { year: 2026 });
const ALL = { since: new Date(0), until: new Date(8.64e15) };

/** Everything the pages and commands show for one server (or all), as plain data. */
async function view(prisma: PrismaClient, host?: string) {
  const range = { ...ALL, host };
  const overview = await getOverview(range, prisma);
  const page = await searchMessages({ host }, { size: 10_000 }, prisma);
  return {
    overview: { ...overview, range: null },
    messages: page.rows.map((r) => r.key),
    total: page.matched,
    findings: (await listFindings({ host }, prisma)).map((f) => [f.id, f.count, f.users, f.recipients]),
    findingViews: (await getFindings({ host }, prisma)).map((f) => [f.id, f.evidenceTotal, f.messages]),
    users: await getUserHealth({ host }, prisma),
    trainings: (await listTrainings({ host }, {}, prisma)).total,
    volumes: await getDailyVolumes(range, prisma),
    trainingDays: await getDailyTrainings(range, prisma),
    servers: await getHostSummaries(range, prisma),
    alice: await getUserDetail("alice@example.com", { ...range, bucket: "day" }, prisma),
  };
}

describe("the host filter on a database of several mail servers", () => {
  const prisma = prismaFor(sqlite.file);

  test("every server a message or retraining touched is a choice", async () => {
    assert.deepEqual(await getHosts(prisma), ["filter", "imap", "mail1", "mail2", "mail3", "mx1"]);
  });

  test("on each server: the overview's counters are the lengths of the lists they link to", async () => {
    for (const host of await getHosts(prisma)) {
      const v = await view(prisma, host);
      assert.equal(v.overview.messages, v.total, host);
      assert.equal(v.overview.messages, v.messages.length, host);
      assert.equal(v.overview.messages, await countMessages({ host }, prisma), host);
      assert.equal(v.overview.trainings.attempts, v.trainings, host);
      const spam = await countMessages({ host, verdict: "spam" }, prisma);
      assert.equal(v.overview.byVerdict.spam, spam, host);
      assert.deepEqual(v.servers, [{ host, messages: v.total, spam }], host);
      const byDay = v.volumes.reduce((sum, d) => sum + d.messages, 0);
      assert.equal(byDay, v.total, host);
      assert.equal(
        v.trainingDays.reduce((sum, d) => sum + d.attempts, 0),
        v.trainings,
        host,
      );
      for (const [key, count] of v.findings)
        assert.equal(v.findingViews.find(([k]) => k === key)?.[1], count, `${host} ${key}`);
    }
  });

  test("a message that crossed servers is on each of them, once in all; the others are on one", async () => {
    const all = await view(prisma);
    const perHost = await Promise.all((await getHosts(prisma)).map((host) => view(prisma, host)));
    const onHosts = perHost.flatMap((v) => v.messages);
    const crossed = "mx1/1D451166633/1795318014";
    assert.equal(onHosts.filter((key) => key === crossed).length, 3);
    assert.deepEqual(new Set(onHosts), new Set(all.messages));
    assert.equal(onHosts.length, all.total + 2);
    assert.deepEqual(
      perHost.map((v) => v.messages.includes(crossed)),
      [true, true, false, false, false, true],
    );
    // Retrainings are each on the server they were made on.
    assert.equal(
      perHost.reduce((sum, v) => sum + v.trainings, 0),
      all.trainings,
    );
    const mail1 = perHost[2];
    assert.ok(mail1 && mail1.total > 50 && mail1.total < all.total);
    assert.ok(mail1.users.length > 0 && mail1.users.length < all.users.length);
  });

  test("a user's page on one server: the crossing message's mailbox is on the servers it touched", async () => {
    for (const host of ["filter", "imap", "mx1"]) {
      const { alice } = await view(prisma, host);
      assert.equal(alice.messages.delivered, 1, host);
      assert.equal(alice.messages.spam, 1, host);
      assert.deepEqual(alice.folders, [{ folder: "Junk", messages: 1 }], host);
    }
    const { alice } = await view(prisma, "mail1");
    assert.equal(alice.messages.delivered, 0);
    assert.deepEqual(alice.folders, []);
  });

  test("a server nothing was logged on has nothing", async () => {
    const v = await view(prisma, "nowhere");
    assert.equal(v.total, 0);
    assert.equal(v.overview.messages, 0);
    assert.deepEqual(v.findings, []);
    assert.deepEqual(v.users, []);
  });
});

const skip = await postgresSkip();

describe("the host filter on PostgreSQL gives what it gives on SQLite", { skip }, () => {
  let url = "";

  test("the same database copied into PostgreSQL", async () => {
    url = await freshPostgresDatabase();
    const { code, stderr } = await runCli(["migrate", "--db", url, "--copy-from", sqlite.file]);
    assert.equal(code, 0, stderr);
  });

  test("every page's numbers and lists, on each server", async () => {
    const fromSqlite = prismaFor(sqlite.file);
    // The same models, so the query functions take either client (lib/db/read-client.ts).
    const fromPostgres = postgresPrismaFor(url) as unknown as PrismaClient;
    try {
      for (const host of [undefined, ...(await getHosts(fromSqlite))]) {
        const [a, b] = await Promise.all([view(fromSqlite, host), view(fromPostgres, host)]);
        assert.deepEqual(b, a, host ?? "all servers");
      }
    } finally {
      await fromPostgres.$disconnect();
    }
  });

  for (const command of [
    ["findings"],
    ["users"],
    ["messages", "--limit", "500"],
    ["report", "--since", "2000-01-01", "--until", "2100-01-01", "--text"],
  ]) {
    test(`spamtrail ${command[0]} --host prints the same on both databases`, async () => {
      for (const host of ["mail2", "filter"]) {
        const onSqlite = await runCli([...command, "--db", sqlite.file, "--host", host]);
        const onPostgres = await runCli([...command, "--db", url, "--host", host]);
        assert.equal(onSqlite.code, 0, onSqlite.stderr);
        assert.equal(withoutGeneratedTime(onPostgres.stdout), withoutGeneratedTime(onSqlite.stdout));
      }
    });
  }
});

test("--host that is not a host name says so in one line (and where to look), exit 2", async () => {
  const { code, stderr, stdout } = await runCli(["findings", "--db", sqlite.file, "--host", "mx1;rm"]);
  assert.equal(code, 2);
  assert.equal(stdout, "");
  assert.equal(
    stderr,
    "spamtrail findings: --host must be a syslog host name (letters, digits, . - _), got 'mx1;rm'\nTry 'spamtrail findings --help'.\n",
  );
});
