// The message search (lib/queries/messages.ts) on the lab sample, in a real SQLite file and in its
// copy in PostgreSQL: every way an admin remembers a message, every filter, order, pages, and the export.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { migrationsDir } from "../../lib/db/migrate.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { csvCell, exportMessages } from "../../lib/queries/message-export.ts";
import type { MessageFilters } from "../../lib/queries/message-filters.ts";
import { parseMessageSearch } from "../../lib/queries/message-params.ts";
import { asDomain, ftsQuery } from "../../lib/queries/message-search-sql.ts";
import {
  countMessages,
  type MessagePage,
  type MessageRow,
  searchMessages,
} from "../../lib/queries/messages.ts";
import { bothDatabases } from "../helpers/both-databases.ts";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";
import { tempDatabase } from "../helpers/temp-db.ts";

const DUPLICATE = "20261122032656.5f903295ed.b07@supplier.example.net";
const lab = tempDatabase();
await ingestLogs(lab.db, [LAB_LOGS], { year: LAB_YEAR });
const databases = await bothDatabases(lab.file);
// Every message of the lab as each database lists it, read before any test starts.
const [onSqlite, onPostgres] = await Promise.all(
  databases.map((d) => (d.skip ? null : searchMessages({}, { size: 1000 }, d.prisma))),
);

const to = (row: MessageRow, address: string) =>
  row.recipients.some((r) => r.address.toLowerCase() === address || r.original?.toLowerCase() === address);

for (const [{ name, skip, prisma }, listed] of [
  [databases[0], onSqlite],
  [databases[1], onPostgres],
] as const) {
  const all = listed ?? (onSqlite as MessagePage);

  /** What the lab's rows say, for comparing the search with a plain filter over every row. */
  const everyRow = (keep: (row: MessageRow) => boolean) => new Set(all.rows.filter(keep).map((r) => r.id));
  const ids = async (filters: MessageFilters) =>
    new Set((await searchMessages(filters, { size: 1000 }, prisma)).rows.map((r) => r.id));

  test(`every message is listed with the same fields as on SQLite (${name})`, { skip }, () => {
    assert.deepEqual(all, onSqlite);
  });

  describe(`finding a message the way the admin remembers it (${name})`, { skip }, () => {
    test("by the alias the sender wrote (orig_to), not only the final mailbox", async () => {
      for (const alias of ["root@example.com", "sales@example.com"]) {
        const found = await ids({ recipient: alias });
        // Every journey with a delivery or hand-off to the alias, by a plain query of the deliveries.
        const written = lab.db
          .prepare(
            "SELECT DISTINCT journeyId AS id FROM Delivery WHERE lower(recipient) = ? OR lower(origRecipient) = ?",
          )
          .all(alias, alias) as { id: number }[];
        assert.ok(found.size > 0, `${alias} finds its messages`);
        assert.deepEqual(found, new Set(written.map((w) => w.id)), alias);
        // The list says so: "(written to root@example.com)".
        for (const row of all.rows.filter((r) => found.has(r.id)))
          assert.ok(row.writtenTo.includes(alias) || to(row, alias), `${alias} shown on ${row.queueId}`);
      }
    });

    test("addresses and queue ids ignore case", async () => {
      assert.deepEqual(
        await ids({ recipient: "ROOT@Example.COM" }),
        await ids({ recipient: "root@example.com" }),
      );
      const queue = await ids({ queueId: "da0eb166632" });
      assert.equal(queue.size, 1);
      assert.deepEqual(await ids({ q: "da0eb166632" }), queue);
      // The free search box takes the address as sender or recipient (the bounces to anna).
      const anna = new Set([
        ...(await ids({ sender: "anna@supplier.example.net" })),
        ...(await ids({ recipient: "anna@supplier.example.net" })),
      ]);
      assert.ok(anna.size > 2);
      assert.deepEqual(await ids({ q: "ANNA@SUPPLIER.EXAMPLE.NET" }), anna);
    });

    test("a domain alone: @example.com or example.com, for recipients and senders", async () => {
      const byAt = await ids({ recipient: "@pager.example.net" });
      assert.deepEqual(byAt, await ids({ recipient: "pager.example.net" }));
      assert.deepEqual(
        byAt,
        everyRow((r) => r.recipients.some((d) => d.address.endsWith("@pager.example.net"))),
      );
      const senders = await ids({ sender: "@supplier.example.net" });
      assert.deepEqual(
        senders,
        everyRow((r) => (r.sender ?? "").endsWith("@supplier.example.net")),
      );
      assert.ok(senders.size >= 2);
      const q = await ids({ q: "supplier.example.net" });
      for (const id of [...senders, ...(await ids({ recipient: "@supplier.example.net" }))])
        assert.ok(q.has(id));
    });

    test("the client's IP address or host name", async () => {
      const byIp = await ids({ client: "203.0.113.55" });
      assert.deepEqual(
        byIp,
        everyRow((r) => r.client?.endsWith("[203.0.113.55]") ?? false),
      );
      assert.ok(byIp.size > 0);
      assert.deepEqual(await ids({ client: "MX.Supplier.example.net" }), byIp);
    });

    test("part of a Message-ID, or a word of the subject", async () => {
      const part = await searchMessages({ messageId: "5f903295ed" }, {}, prisma);
      assert.deepEqual(
        part.rows.map((r) => r.messageId),
        [DUPLICATE],
      );
      assert.deepEqual((await searchMessages({ messageId: `<${DUPLICATE}>` }, {}, prisma)).rows.length, 1);
      const words = await searchMessages({ text: "office furniture" }, {}, prisma);
      assert.ok(words.rows.length > 0);
      assert.ok(words.rows.every((r) => /office furniture/i.test(r.subject ?? "")));
      assert.deepEqual(await ids({ q: "furniture" }), await ids({ text: "furniture" }));
      assert.equal((await searchMessages({ text: "..." }, {}, prisma)).matched, 0);
    });
  });

  describe(`filters by what happened, origin, finding, verdict (${name})`, { skip }, () => {
    const cases: { name: string; filters: MessageFilters; keep: (r: MessageRow) => boolean }[] = [
      { name: "delivered", filters: { state: "delivered" }, keep: (r) => r.delivered > 0 },
      { name: "queued", filters: { state: "queued" }, keep: (r) => !r.complete },
      { name: "origin local", filters: { origin: "local" }, keep: (r) => r.origin === "local" },
      { name: "verdict spam", filters: { verdict: "spam" }, keep: (r) => r.verdict === "spam" },
      { name: "not filtered", filters: { verdict: "none" }, keep: (r) => r.verdict === null },
      {
        name: "finding duplicate-delivery",
        filters: { findings: ["duplicate-delivery"] },
        keep: (r) => r.findings.some((f) => f.kind === "duplicate-delivery"),
      },
    ];
    for (const c of cases)
      test(c.name, async () => {
        const found = await ids(c.filters);
        assert.ok(found.size > 0, "the lab has some");
        assert.deepEqual(found, everyRow(c.keep));
      });

    test("bounced and deferred: the copies refused and the mail still waiting", async () => {
      const bounced = await searchMessages({ state: "bounced" }, { size: 100 }, prisma);
      assert.ok(bounced.rows.length > 0);
      assert.ok(bounced.rows.every((r) => r.recipients.some((d) => d.status === "bounced") || !r.complete));
      const deferred = await searchMessages({ state: "deferred" }, { size: 100 }, prisma);
      assert.ok(
        deferred.rows.length > 0 &&
          deferred.rows.every((r) => r.recipients.some((d) => d.status === "deferred")),
      );
    });

    test("in progress: exactly the journeys still followed (Journey.inProgress)", async () => {
      assert.deepEqual(
        await ids({ state: "in-progress" }),
        everyRow((r) => r.inProgress),
      );
    });

    test("filters combine", async () => {
      const both = await ids({ recipient: "bob.oncall@pager.example.net", findings: ["duplicate-delivery"] });
      assert.equal(both.size, 16, "the lab's 16 duplicates to the pager");
    });
    test("the count of one filter alone (read from its own index) is the number of messages listed", async () => {
      const findingId = Number(
        (lab.db.prepare("SELECT id FROM Finding WHERE kind = 'training-misdirected'").get() as { id: number })
          .id,
      );
      const alone: MessageFilters[] = [
        { recipient: "root@example.com" },
        { recipient: "@example.com" },
        { sender: "example.com" },
        { findings: ["duplicate-delivery"] },
        { findings: ["training-misdirected"] },
        { findingIds: [findingId] },
        { q: "example.com" },
        { text: "furniture" },
        { state: "deferred" },
      ];
      for (const filters of alone) {
        const listed = await ids(filters);
        assert.ok(listed.size > 0, JSON.stringify(filters));
        assert.equal(await countMessages(filters, prisma), listed.size, JSON.stringify(filters));
      }
    });
  });

  describe(`order, page size, position (${name})`, { skip }, () => {
    test("newest and oldest first are each other's reverse; pages neither skip nor repeat", async () => {
      const newest = (await searchMessages({}, { size: 1000 }, prisma)).rows.map((r) => r.id);
      const oldest = (await searchMessages({}, { sort: "oldest", size: 1000 }, prisma)).rows.map((r) => r.id);
      assert.equal(newest.length, all.matched);
      const paged: number[] = [];
      for (let page = 1; paged.length < all.matched; page += 1) {
        const result = await searchMessages({}, { size: 20, page }, prisma);
        assert.equal(result.offset, (page - 1) * 20);
        paged.push(...result.rows.map((r) => r.id));
      }
      assert.deepEqual(paged, newest);
      const time = new Map(all.rows.map((r) => [r.id, r.firstTs.getTime()]));
      assert.deepEqual(
        oldest.map((id) => time.get(id)),
        [...newest].reverse().map((id) => time.get(id)),
      );
    });

    test("by sender and by recipient", async () => {
      const bySender = (await searchMessages({}, { sort: "sender", size: 1000 }, prisma)).rows.map((r) =>
        (r.sender ?? "").toLowerCase(),
      );
      assert.deepEqual(bySender, [...bySender].sort());
      const byRecipient = (
        await searchMessages({ origin: "inbound" }, { sort: "recipient", size: 1000 }, prisma)
      ).rows;
      const first = byRecipient.map(
        (r) => r.recipients.map((d) => d.address.toLowerCase()).sort()[0] ?? "\uffff",
      );
      assert.deepEqual(first, [...first].sort());
    });
  });

  describe(`export (${name})`, { skip }, () => {
    const read = async (stream: ReadableStream<Uint8Array>) => new Response(stream).text();

    test("CSV: a header, one line per message in the search's order, cells quoted and defused", async () => {
      const filters = { recipient: "bob.oncall@pager.example.net", finding: "duplicate-delivery" } as const;
      const csv = await read(exportMessages(filters, "newest", "csv", prisma));
      const lines = csv.trimEnd().split("\r\n");
      assert.equal(lines[0]?.split(",")[0], "time");
      assert.equal(lines.length, 17);
      const page = await searchMessages(filters, { size: 100 }, prisma);
      assert.deepEqual(
        lines.slice(1).map((l) => l.split(",")[2]),
        page.rows.map((r) => r.queueId),
      );
      assert.equal(csvCell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
      assert.equal(csvCell('a "b", c'), '"a ""b"", c"');
      assert.equal(csvCell(["x", "y"]), "x y");
    });

    test("JSON: an array of the same rows", async () => {
      const json = JSON.parse(
        await read(exportMessages({ queueId: "064FA166632" }, "newest", "json", prisma)),
      );
      assert.equal(json.length, 1);
      assert.equal(json[0].messageId, DUPLICATE);
      assert.deepEqual(json[0].recipients.sort(), [
        "bob.oncall@pager.example.net",
        "bob.oncall@pager.example.net",
        "bob@example.com",
      ]);
      assert.deepEqual(json[0].findings.sort(), ["classified-under-alias", "duplicate-delivery"]);
    });
  });
}

describe("the search's stored sort key, its parameters and words", () => {
  test("the recipient order's stored key is each message's lowest final recipient, as the migration fills it in", () => {
    const rows = lab.db
      .prepare(
        `SELECT j.recipientSort AS stored, (SELECT min(lower(d.recipient)) FROM Delivery d
           WHERE d.journeyId = j.id AND d.destination IN ('mailbox', 'external')) AS derived
         FROM Journey j`,
      )
      .all() as { stored: string | null; derived: string | null }[];
    assert.ok(rows.filter((r) => r.stored !== null).length > 20, "journeys with a final recipient");
    assert.deepEqual(
      rows.map((r) => r.stored),
      rows.map((r) => r.derived),
    );
    // The migration's back-fill gives older journeys the same key (run on a copy of the lab).
    const copy = tempDatabase();
    copy.db.exec(`ATTACH DATABASE '${lab.file}' AS lab`);
    copy.db.exec("DELETE FROM main.Journey; INSERT INTO main.Journey SELECT * FROM lab.Journey");
    copy.db.exec("DELETE FROM main.Delivery; INSERT INTO main.Delivery SELECT * FROM lab.Delivery");
    copy.db.exec("UPDATE main.Journey SET recipientSort = NULL");
    const migration = readFileSync(
      path.join(migrationsDir(), "20261206153433_recipient_sort", "migration.sql"),
      "utf8",
    );
    copy.db.exec(/UPDATE "Journey"[^;]+;/.exec(migration)?.[0] ?? "SELECT raise(ABORT, 'no back-fill')");
    assert.deepEqual(
      copy.db.prepare("SELECT recipientSort FROM Journey ORDER BY id").pluck().all() as (string | null)[],
      lab.db.prepare("SELECT recipientSort FROM Journey ORDER BY id").pluck().all() as (string | null)[],
    );
  });

  test("URL parameters: what cannot be read is said, and left out", () => {
    const { filters, view, problems } = parseMessageSearch({
      verdict: "bogus",
      from: "notadate",
      state: "delivered",
      q: "  x  ",
      sort: "oldest",
      size: "100",
      page: "3",
    });
    assert.deepEqual(
      [filters.verdict, filters.since, filters.state, filters.q],
      [undefined, undefined, "delivered", "x"],
    );
    assert.deepEqual(view, { sort: "oldest", size: 100, page: 3 });
    assert.deepEqual(problems, [
      "verdict=bogus is not understood: use one of spam, innocent, none, judged.",
      "from=notadate is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM.",
    ]);
    assert.deepEqual(parseMessageSearch({ page: "x" }).problems, ["page=x is not a page number."]);
  });

  test("what the search reads as a domain, and as full-text words", () => {
    assert.equal(asDomain("@Example.com"), "example.com");
    assert.equal(asDomain("partner.example.org"), "partner.example.org");
    assert.equal(asDomain("bob@example.com"), null);
    assert.equal(asDomain("203.0.113.5"), null);
    assert.equal(ftsQuery('say "hi" now'), '"say" """hi""" "now"');
    assert.equal(ftsQuery("<a.b@c>", "messageId"), 'messageId : ("a.b@c")');
  });
});
