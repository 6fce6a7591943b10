import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { ModelName } from "../generated/prisma/internal/prismaNamespace.ts";
import { postgresPool } from "../lib/db/postgres.ts";
import { postgresPrismaFor, prismaFor } from "../lib/db/prisma.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { dialectOf, readRows } from "../lib/queries/dialect.ts";
import { type MessageFilters, setFilters } from "../lib/queries/message-filters.ts";
import { resolveFilters, searchMessages } from "../lib/queries/messages.ts";
import { getDailyTrainings, getDailyVolumes } from "../lib/queries/stats.ts";
import { getUserDetail } from "../lib/queries/user-detail.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { freshPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { runCli, withoutGeneratedTime } from "./helpers/run-cli.ts";
import { canonicalJson } from "./helpers/stored-rows.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const skip = await postgresSkip();

type Delegate = { findMany(): Promise<Record<string, unknown>[]> };
const delegate = (client: object, model: string) =>
  (client as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)] as Delegate;
// Rows in a stable order, whatever order each database returns them in (BigInt and bytes included).
const canonical = (rows: Record<string, unknown>[]) => rows.map(canonicalJson).sort();

describe("an install moving to PostgreSQL: spamtrail migrate --copy-from", { skip }, () => {
  const sqlite = tempDatabase();
  let url = "";

  test("copies every row of the lab's SQLite database into a new PostgreSQL database", async () => {
    await ingestLogs(sqlite.db, [LAB_LOGS], { year: LAB_YEAR });
    url = await freshPostgresDatabase();
    const { code, stdout, stderr } = await runCli(["migrate", "--db", url, "--copy-from", sqlite.file]);
    assert.equal(code, 0, stderr);
    const lines = (sqlite.db.prepare("SELECT count(*) AS n FROM LineKey").get() as { n: number }).n;
    assert.match(stdout, new RegExp(`: copied [\\d,]+ rows from .*LineKey ${lines.toLocaleString("en-US")}`));
  });

  test("read through Prisma, each of the schema's models holds the same rows on both databases (one schema)", async () => {
    const fromSqlite = prismaFor(sqlite.file);
    const fromPostgres = postgresPrismaFor(url);
    let compared = 0;
    for (const model of Object.values(ModelName)) {
      const [a, b] = await Promise.all([
        delegate(fromSqlite, model).findMany(),
        delegate(fromPostgres, model).findMany(),
      ]);
      assert.deepEqual(canonical(b), canonical(a), model);
      compared += a.length;
    }
    assert.ok(compared > 1000, `${compared} rows compared`);
    await fromPostgres.$disconnect();
  });

  // The CLI on both databases, on the same data: what PostgreSQL shows must be what SQLite shows.
  const ranges: [string, string[]][] = [
    ["everything", []],
    ["one day", ["--since", "2026-11-22", "--until", "2026-11-22"]],
    ["a day without mail", ["--since", "2025-01-01", "--until", "2025-01-01"]],
  ];
  for (const command of ["findings", "users"]) {
    for (const [label, range] of ranges) {
      for (const json of [["--json"], []]) {
        test(`spamtrail ${command} ${json.join("")} (${label}) prints the same on PostgreSQL as on SQLite`, async () => {
          const onSqlite = await runCli([command, "--db", sqlite.file, ...json, ...range]);
          const onPostgres = await runCli([command, "--db", url, ...json, ...range]);
          assert.equal(onSqlite.code, 0, onSqlite.stderr);
          assert.equal(onPostgres.code, 0, onPostgres.stderr);
          assert.equal(onPostgres.stdout, onSqlite.stdout);
          if (label === "a day without mail")
            assert.match(onPostgres.stdout, json.length ? /^\[\]\n$/ : /^No mail logged between/);
          else assert.ok(onPostgres.stdout.length > 500);
        });
      }
    }
  }

  test("spamtrail message (--json, --lines, by Message-ID and by queue id) prints the same on PostgreSQL as on SQLite", async () => {
    // Messages of every origin and verdict, with findings or not: one of each.
    const picks = sqlite.db
      .prepare(
        `SELECT j.messageId AS id, (SELECT min(queueId) FROM JourneyQueue q WHERE q.journeyId = j.id) AS queue
         FROM Journey j WHERE j.messageId IS NOT NULL GROUP BY j.origin, j.verdict, j.delivered > 1`,
      )
      .all() as { id: string; queue: string | null }[];
    assert.ok(picks.length >= 4, `${picks.length} messages`);
    for (const { id, queue } of picks) {
      for (const argv of [["--json", id], ["--lines", id], ...(queue ? [[queue]] : [])]) {
        const onSqlite = await runCli(["message", "--db", sqlite.file, ...argv]);
        const onPostgres = await runCli(["message", "--db", url, ...argv]);
        assert.equal(onSqlite.code, 0, onSqlite.stderr);
        assert.deepEqual(onPostgres, onSqlite, argv.join(" "));
      }
    }
    const missing = await runCli(["message", "--db", url, "<nowhere@example.invalid>"]);
    assert.equal(missing.code, 1);
  });

  // Search values taken from the lab's own messages: a word of a subject, a part of a Message-ID, a
  // recipient's address and domain, a sender, a client, a DSPAM user, a queue id.
  const searchValues = () => {
    const one = (sql: string) => (sqlite.db.prepare(sql).get() as { v: string } | undefined)?.v ?? "";
    const subject = one(
      "SELECT subject AS v FROM Journey WHERE subject GLOB '*[a-z][a-z][a-z]*' ORDER BY id LIMIT 1",
    );
    const messageId = one(
      "SELECT messageId AS v FROM Journey WHERE messageId LIKE '%.%@%' ORDER BY id LIMIT 1",
    );
    const recipient = one(
      "SELECT recipient AS v FROM Delivery WHERE destination = 'mailbox' ORDER BY id LIMIT 1",
    );
    return {
      subjectWord: subject.split(/[^\p{L}\p{N}]+/u).find((w) => w.length >= 3) ?? "",
      messageIdPart: messageId.split("@")[0]?.split(".").slice(-2).join(".") ?? "",
      recipient,
      domain: `@${recipient.split("@")[1] ?? ""}`,
      sender: one("SELECT sender AS v FROM Journey WHERE sender LIKE '%@%' ORDER BY id LIMIT 1"),
      client: one("SELECT clientIp AS v FROM Journey WHERE clientIp IS NOT NULL ORDER BY id LIMIT 1"),
      dspamUser: one("SELECT filterUser AS v FROM Verdict ORDER BY id LIMIT 1"),
      queue: one("SELECT queueId AS v FROM JourneyQueue ORDER BY journeyId LIMIT 1"),
    };
  };

  test("spamtrail messages finds the same messages on PostgreSQL as on SQLite, filter by filter", async () => {
    const v = searchValues();
    const searches = [
      [],
      ["--text", v.subjectWord],
      ["--text", v.subjectWord.toUpperCase()],
      ["--message-id", v.messageIdPart],
      ["--recipient", v.recipient],
      ["--recipient", v.domain],
      ["--sender", v.sender],
      ["--client", v.client],
      ["--dspam-user", v.dspamUser, "--verdict", "spam"],
      ["--queue-id", v.queue],
      ["--status", "delivered", "--sort", "recipient"],
      ["--status", "bypassed"],
      ["--status", "deferred"],
      ["--finding", "duplicate-delivery"],
      ["--verdict", "none", "--sort", "sender"],
      ["--since", "2026-11-22", "--until", "2026-11-22", "--sort", "oldest"],
      ["--text", "nosuchwordanywhere"],
      ["--text", "..."],
    ];
    let found = 0;
    for (const argv of searches) {
      for (const json of [[], ["--json"]]) {
        const args = ["messages", "--limit", "500", ...json, ...argv];
        const onSqlite = await runCli([...args, "--db", sqlite.file]);
        const onPostgres = await runCli([...args, "--db", url]);
        assert.equal(onSqlite.code, 0, onSqlite.stderr);
        assert.deepEqual(onPostgres, onSqlite, argv.join(" "));
        if (!json.length && !onSqlite.stdout.startsWith("No message matches.")) found++;
      }
    }
    assert.ok(found >= 12, `${found} searches found messages`);
  });

  test("every set filter, driven from its index or probed per journey (big sets), selects the same journeys on both databases", async () => {
    const v = searchValues();
    const fromSqlite = prismaFor(sqlite.file);
    const fromPostgres = postgresPrismaFor(url) as unknown as typeof fromSqlite;
    const filters: MessageFilters[] = [
      { q: v.domain },
      { text: v.subjectWord },
      { messageId: v.messageIdPart },
      { recipient: v.recipient },
      { recipient: v.domain },
      { sender: v.sender },
      { client: v.client },
      { dspamUser: v.dspamUser, verdict: "spam" },
      { queueId: v.queue },
      { findings: ["duplicate-delivery", "classified-under-alias"] },
      { findings: ["training-misdirected", "training-failed"] },
      { findingIds: [1, 2, 3] },
      { state: "deferred" },
    ];
    try {
      for (const filter of filters) {
        const counts = await Promise.all(
          [fromSqlite, fromPostgres].map(async (prisma) => {
            const out: number[] = [];
            const count = async (sql: string, params: unknown[]) =>
              Number((await readRows<{ n: unknown }>(prisma, sql, ...params))[0]?.n);
            // The page takes one form or the other by the set's size (lib/queries/messages.ts), with
            // a finding's kinds as they are or read first as its findings' ids; a set alone is
            // counted by its rows per journey where it has them.
            const resolved = await resolveFilters(filter, prisma);
            for (const sets of [
              setFilters(filter, dialectOf(prisma)),
              setFilters(filter, dialectOf(prisma), resolved),
            ])
              for (const set of sets) {
                for (const clause of [set.asIn, set.asExists])
                  out.push(
                    await count(`SELECT count(*) AS n FROM "Journey" j WHERE ${clause.sql}`, clause.params),
                  );
                if (set.perJourney)
                  out.push(
                    await count(
                      `SELECT count(*) AS n FROM (${set.perJourney.sql}) AS p`,
                      set.perJourney.params,
                    ),
                  );
                else out.push(out.at(-1) ?? 0);
              }
            return out;
          }),
        );
        const [onSqlite, onPostgres] = counts as [number[], number[]];
        assert.deepEqual(onPostgres, onSqlite, JSON.stringify(filter));
        for (let i = 0; i < onSqlite.length; i += 3) {
          assert.equal(onSqlite[i + 1], onSqlite[i], `${JSON.stringify(filter)}: IN and EXISTS agree`);
          assert.equal(onSqlite[i + 2], onSqlite[i], `${JSON.stringify(filter)}: counted per journey alike`);
        }
        assert.deepEqual(onSqlite.slice(onSqlite.length / 2), onSqlite.slice(0, onSqlite.length / 2));
      }
    } finally {
      await (fromPostgres as unknown as { $disconnect(): Promise<void> }).$disconnect();
    }
  });

  test("the dashboard's search box (any value) finds the same messages and counts on PostgreSQL as on SQLite", async () => {
    const v = searchValues();
    const fromSqlite = prismaFor(sqlite.file);
    const fromPostgres = postgresPrismaFor(url) as unknown as typeof fromSqlite;
    let found = 0;
    for (const q of Object.values(v)) {
      for (const size of [3, 500]) {
        const [a, b] = await Promise.all([
          searchMessages({ q }, { size }, fromSqlite),
          searchMessages({ q }, { size }, fromPostgres),
        ]);
        assert.deepEqual(b, a, q);
        if (a.rows.length) found++;
      }
    }
    assert.ok(found >= 14, `${found} searches found messages`);
    await (fromPostgres as unknown as { $disconnect(): Promise<void> }).$disconnect();
  });

  test("volumes, trainings and a user's verdicts are bucketed in the display zone (SPAMTRAIL_TZ) alike on both databases", async () => {
    const fromSqlite = prismaFor(sqlite.file);
    const fromPostgres = postgresPrismaFor(url) as unknown as typeof fromSqlite;
    const user = (
      sqlite.db.prepare("SELECT filterUser AS v FROM Verdict ORDER BY id LIMIT 1").get() as { v: string }
    ).v;
    const range = { since: new Date("2026-11-01T00:00:00Z"), until: new Date("2026-12-01T00:00:00Z") };
    const before = process.env.SPAMTRAIL_TZ;
    try {
      const labels = new Set<string>();
      // Offsets of a quarter hour and a half hour, one with a daylight-saving change inside the range.
      for (const zone of ["UTC", "Asia/Kathmandu", "America/St_Johns", "Pacific/Chatham"]) {
        process.env.SPAMTRAIL_TZ = zone;
        for (const bucket of ["day", "hour", "minute"] as const) {
          const read = (prisma: typeof fromSqlite) =>
            Promise.all([
              getDailyVolumes(range, prisma, { bucket }),
              getDailyTrainings(range, prisma, { bucket }),
              getUserDetail(user, { ...range, bucket }, prisma),
            ]);
          const [a, b] = await Promise.all([read(fromSqlite), read(fromPostgres)]);
          assert.deepEqual(b, a, `${zone} ${bucket}`);
          assert.ok(a[0].length > 0 && a[1].length > 0, `${zone} ${bucket}`);
          if (bucket === "hour") labels.add(a[0].map((r) => r.day).join());
        }
      }
      // The zone moves the buckets: four zones, four different sets of hours.
      assert.equal(labels.size, 4);
    } finally {
      if (before === undefined) delete process.env.SPAMTRAIL_TZ;
      else process.env.SPAMTRAIL_TZ = before;
    }
    await (fromPostgres as unknown as { $disconnect(): Promise<void> }).$disconnect();
  });

  test("PostgreSQL's triggers keep SearchTerm as SQLite's do: deliveries deleted and written again, a journey's state and sender changed", async () => {
    const pool = postgresPool(url);
    const client = await pool.connect();
    const terms = async (where = "TRUE") =>
      (
        await client.query(
          `SELECT "field", "term", "journeyId" FROM "SearchTerm" WHERE ${where} ORDER BY 1, 2, 3`,
        )
      ).rows;
    try {
      await client.query("BEGIN");
      const before = await terms();
      assert.ok((await terms(`"field" = 'rcpt-domain'`)).length > 0);
      await client.query('CREATE TEMP TABLE saved AS SELECT * FROM "Delivery"');
      await client.query('DELETE FROM "Delivery"');
      assert.deepEqual(await terms(`"field" IN ('rcpt', 'rcpt-domain') OR "term" = 'deferred'`), []);
      await client.query('INSERT INTO "Delivery" SELECT * FROM saved');
      assert.deepEqual(await terms(), before);
      const { rows } = await client.query(
        'SELECT id FROM "Journey" WHERE complete = TRUE ORDER BY id LIMIT 1',
      );
      const id = rows[0].id as number;
      await client.query(
        `UPDATE "Journey" SET complete = FALSE, sender = 'Someone@Elsewhere.example' WHERE id = ${id}`,
      );
      assert.deepEqual(
        (await terms(`"journeyId" = ${id} AND "field" IN ('from', 'from-domain', 'status')`)).map(
          (r) => `${r.field}=${r.term}`,
        ),
        ["from=someone@elsewhere.example", "from-domain=elsewhere.example", "status=queued"],
      );
    } finally {
      await client.query("ROLLBACK");
      client.release();
      await pool.end();
    }
  });

  test("spamtrail report --text (a week, a range) is the same on PostgreSQL as on SQLite", async () => {
    for (const range of [
      ["--week", "2026-W47"],
      ["--since", "2026-11-20", "--until", "2026-11-23"],
    ]) {
      const onSqlite = await runCli(["report", "--db", sqlite.file, "--text", ...range]);
      const onPostgres = await runCli(["report", "--db", url, "--text", ...range]);
      assert.equal(onSqlite.code, 0, onSqlite.stderr);
      assert.deepEqual(
        { ...onPostgres, stdout: withoutGeneratedTime(onPostgres.stdout) },
        { ...onSqlite, stdout: withoutGeneratedTime(onSqlite.stdout) },
        range.join(" "),
      );
      assert.ok(onPostgres.stdout.length > 500);
    }
  });

  test("--copy-from into SQLite is bad usage", async () => {
    const { code, stderr } = await runCli(["migrate", "--db", sqlite.file, "--copy-from", sqlite.file]);
    assert.equal(code, 2);
    assert.match(stderr, /--copy-from copies into PostgreSQL: give --db postgresql:\/\/…/);
  });
  test("new rows get ids after the copied ones; a second copy is refused, the data untouched", async () => {
    const client = postgresPrismaFor(url);
    const before = await client.finding.count();
    const max = (await client.source.aggregate({ _max: { id: true } }))._max.id ?? 0;
    const created = await client.source.create({
      data: {
        fingerprint: "x",
        path: "/var/log/new.log",
        kind: "syslog",
        stream: "/var/log/new.log",
        createdAt: new Date(),
        updatedAt: new Date(),
      },
    });
    assert.equal(created.id, max + 1);
    const again = await runCli(["migrate", "--db", url, "--copy-from", sqlite.file]);
    assert.equal(again.code, 1);
    assert.match(
      again.stderr,
      /^spamtrail migrate: the PostgreSQL database already holds rows in \w+; copy into a new database\n$/,
    );
    assert.equal(await client.finding.count(), before);
    await client.$disconnect();
  });
});
