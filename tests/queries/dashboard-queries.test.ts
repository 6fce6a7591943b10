import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseLocalDate } from "../../lib/core/display-zone.ts";
import { ingestLogs } from "../../lib/ingest/ingest-logs.ts";
import { setFindingStatus } from "../../lib/queries/finding-actions.ts";
import { getFindingDetail } from "../../lib/queries/finding-detail.ts";
import { getFindingsPage, listFindings } from "../../lib/queries/finding-list.ts";
import { getFindings } from "../../lib/queries/findings.ts";
import { assessHealth, getHealthFacts } from "../../lib/queries/health-checks.ts";
import { getMessage } from "../../lib/queries/message.ts";
import { parseMessageFilters } from "../../lib/queries/message-filters.ts";
import { buildTimelines } from "../../lib/queries/message-timeline.ts";
import { findMessage, getMessageFindings } from "../../lib/queries/message-view.ts";
import { searchMessages } from "../../lib/queries/messages.ts";
import { getSourceHealth } from "../../lib/queries/source-health.ts";
import { getDataSpan, getOverview } from "../../lib/queries/stats.ts";
import { bucketFor, bucketLabels, resolveRange } from "../../lib/queries/time-range.ts";
import { listTrainings } from "../../lib/queries/trainings.ts";
import { getUserDetail } from "../../lib/queries/user-detail.ts";
import { sortUsers } from "../../lib/queries/user-sort.ts";
import { getUserHealth } from "../../lib/queries/users.ts";
import { bothDatabases } from "../helpers/both-databases.ts";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";
import { tempDatabase } from "../helpers/temp-db.ts";

const DUPLICATE = "20261122032656.5f903295ed.b07@supplier.example.net";
// One lab database for the whole file (tempDatabase removes it when the file ends), and its copy in
// PostgreSQL: every case runs on both.
const lab = tempDatabase();
await ingestLogs(lab.db, [LAB_LOGS], { year: LAB_YEAR });
lab.db.close();

for (const { name, skip, prisma } of await bothDatabases(lab.file)) {
  describe(`message search (${name})`, { skip }, () => {
    test("finds a message by any queue id, by Message-ID with brackets, by address", async () => {
      for (const q of [
        "53FB5166633",
        "064FA166632",
        `<${DUPLICATE}>`,
        "anna@supplier.example.net",
        "ANNA@supplier.example.net",
      ]) {
        const page = await searchMessages({ q }, {}, prisma);
        assert.ok(
          page.rows.some((r) => r.messageId === DUPLICATE),
          q,
        );
      }
      const pager = await searchMessages(
        { recipient: "bob.oncall@pager.example.net", findings: ["duplicate-delivery"] },
        {},
        prisma,
      );
      assert.equal(pager.matched, 16, "the lab's 16 duplicates to the pager");
      const row = pager.rows.find((r) => r.messageId === DUPLICATE);
      assert.deepEqual(row?.dspamUsers, ["bob.oncall@pager.example.net", "bob@example.com"]);
      assert.deepEqual(
        new Set(row?.findings.map((f) => f.kind)),
        new Set(["duplicate-delivery", "classified-under-alias"]),
      );
      assert.equal(row?.recipients.filter((r) => r.address === "bob.oncall@pager.example.net").length, 2);
    });

    test("filters combine; DSPAM user, SASL login, verdict and origin use their own columns", async () => {
      const dave = await searchMessages({ sasl: "dave", origin: "authenticated" }, {}, prisma);
      assert.ok(
        dave.rows.length > 0 &&
          dave.rows.every((r) => r.saslUsername === "dave" && r.origin === "authenticated"),
      );
      const spam = await searchMessages({ dspamUser: "carol@example.com", verdict: "spam" }, {}, prisma);
      assert.ok(
        spam.rows.length > 0 &&
          spam.rows.every((r) => r.verdict === "spam" && r.dspamUsers.includes("carol@example.com")),
      );
      const none = await searchMessages({ q: "no-such-thing@nowhere.example" }, {}, prisma);
      assert.deepEqual([none.rows.length, none.matched, none.more], [0, 0, false]);
    });
  });

  describe(`message drill-down (${name})`, { skip }, () => {
    test("the duplicate delivery, hop by hop, with its findings", async () => {
      const message = await findMessage("53FB5166633", prisma);
      assert.equal(message?.messageId, DUPLICATE);
      const byKey = await findMessage(message?.journeys[0]?.key ?? "", prisma);
      assert.equal(byKey?.messageId, DUPLICATE, "reachable by journey key");
      const [timeline] = buildTimelines(message ?? assert.fail("no message"));
      assert.deepEqual(
        timeline?.hops.map((h) => h.kind),
        ["received", "verdicts", "reinjected", "reinjected", "mailbox"],
      );
      assert.deepEqual(timeline?.duplicates, [{ recipient: "bob.oncall@pager.example.net", copies: 2 }]);
      const received = timeline?.hops[0];
      assert.equal(received?.kind === "received" && received.handoffs.length, 2);
      assert.ok(
        timeline?.hops.every((h) => h.lines.length > 0 || h.kind === "mailbox"),
        "every hop has its lines",
      );
      const lines = timeline?.hops.flatMap((h) => h.lines) ?? [];
      assert.equal(new Set(lines.map((l) => l.id)).size, lines.length, "no line twice");
      const findings = await getMessageFindings(message, prisma);
      assert.deepEqual(findings.map((f) => f.kind).sort(), ["classified-under-alias", "duplicate-delivery"]);
      assert.match(
        findings.find((f) => f.kind === "duplicate-delivery")?.summary ?? "",
        /received 1 message more than once/,
      );
    });

    test("retraining appears at the end of the journey it retrained", async () => {
      const message = await findMessage("20261122032656.c7cbc0946a.b11@b2b-leads.example.biz", prisma);
      const hops = buildTimelines(message ?? assert.fail("no message"))[0]?.hops ?? [];
      const trainings = hops.filter((h) => h.kind === "training");
      assert.equal(trainings.length, 2);
      assert.ok(
        trainings.every(
          (h) => h.kind === "training" && h.training.login === "bob" && h.training.outcome === "failed",
        ),
      );
    });
  });

  describe(`findings (${name})`, { skip }, () => {
    test("the fast list agrees with getFindings: counts, severity and texts", async () => {
      const fast = await listFindings({}, prisma);
      const full = await getFindings({}, prisma);
      assert.equal(fast.length, full.length);
      for (const f of full) {
        const g = fast.find((x) => x.id === f.id);
        assert.ok(g, f.key);
        assert.deepEqual(
          [g.count, g.severity, g.summary, g.cause, g.fix],
          [f.count, f.severity, f.summary, f.cause, f.fix],
          f.key,
        );
      }
      const high = await listFindings({ severities: ["high"], kinds: ["training-misdirected"] }, prisma);
      assert.equal(high.length, 1, "one finding for the cause, covering the three logins");
    });

    test("the findings page: pages of a size, each finding once, its users and messages; a range narrows it", async () => {
      const all = await listFindings({}, prisma);
      const pages = [];
      for (let number = 1; number <= Math.ceil(all.length / 5); number++)
        pages.push(await getFindingsPage({}, { number, size: 5 }, prisma));
      assert.ok(pages.length >= 3, `the lab's ${all.length} findings fill several pages of 5`);
      assert.ok(pages.every((p) => p.total === all.length && p.cards.length <= 5));
      assert.deepEqual(
        pages.flatMap((p) => p.cards.map((c) => c.id)),
        all.map((f) => f.id),
      );
      const misdirected = pages.flatMap((p) => p.cards).find((c) => c.kind === "training-misdirected");
      assert.ok(misdirected);
      assert.deepEqual(misdirected.users, [
        "alice",
        "alice@example.com",
        "bob",
        "bob@example.com",
        "dave",
        "dave@example.com",
      ]);
      const listed = await searchMessages(
        parseMessageFilters({ finding: String(misdirected.id) }),
        {},
        prisma,
      );
      assert.ok(misdirected.messages > 0);
      assert.equal(misdirected.messages, listed.rows.length, "the card's messages are its link's list");
      assert.equal(listed.matched, listed.rows.length);
      assert.ok(misdirected.related.length > 0);
      const outside = { since: new Date(2026, 10, 23), until: new Date(2026, 10, 24) };
      assert.deepEqual(await getFindingsPage(outside, { number: 1, size: 5 }, prisma), {
        cards: [],
        total: 0,
      });
    });

    test("acknowledge, mute, reopen: status, who, when, note, audit", async () => {
      const [finding] = await listFindings({ kinds: ["duplicate-delivery"] }, prisma);
      assert.ok(finding);
      const now = new Date("2026-11-23T10:00:00Z");
      assert.equal(
        await setFindingStatus(
          { findingId: finding.id, action: "acknowledge", actor: "admin", note: " known ", now },
          prisma,
        ),
        true,
      );
      assert.equal(
        await setFindingStatus(
          { findingId: finding.id, action: "mute", actor: "ops", now: new Date(now.getTime() + 1000) },
          prisma,
        ),
        true,
      );
      assert.equal(
        await setFindingStatus({ findingId: 999_999, action: "mute", actor: "ops" }, prisma),
        false,
      );
      const detail = await getFindingDetail(finding.id, {}, prisma);
      assert.equal(detail?.status, "muted");
      assert.equal(detail?.statusBy, "ops");
      assert.deepEqual(
        detail?.audit.map((a) => [a.action, a.actor, a.note]),
        [
          ["mute", "ops", null],
          ["acknowledge", "admin", "known"],
        ],
      );
      assert.equal(
        (await listFindings({ statuses: ["open"], kinds: ["duplicate-delivery"] }, prisma)).length,
        0,
      );
      await setFindingStatus({ findingId: finding.id, action: "reopen", actor: "admin" }, prisma);
      assert.equal(
        (await listFindings({ statuses: ["open"], kinds: ["duplicate-delivery"] }, prisma)).length,
        1,
      );
    });

    test("evidence pages", async () => {
      const [finding] = await listFindings({ kinds: ["duplicate-delivery"] }, prisma);
      const one = await getFindingDetail(finding?.id ?? 0, { page: 1, pageSize: 10 }, prisma);
      const two = await getFindingDetail(finding?.id ?? 0, { page: 2, pageSize: 10 }, prisma);
      assert.deepEqual([one?.evidence.length, two?.evidence.length], [10, 6]);
      assert.deepEqual(one?.recipients, ["bob.oncall@pager.example.net"]);
    });
  });

  describe(`users and health (${name})`, { skip }, () => {
    test("misdirected retraining: the login that caused it and the user it should have taught", async () => {
      const misdirected = (await listTrainings({ outcome: "misdirected" }, {}, prisma)).rows;
      assert.deepEqual(misdirected.map((t) => `${t.login}→${t.target} (${t.classifiedBy})`).sort(), [
        "alice→alice (alice@example.com)",
        "bob→bob (bob@example.com)",
        "bob→bob (bob@example.com)",
        "dave→dave (dave@example.com)",
      ]);
      const span = await getDataSpan(prisma);
      const range = {
        since: span?.first ?? new Date(0),
        until: new Date((span?.last.getTime() ?? 0) + 1000),
        bucket: "minute" as const,
      };
      const bob = await getUserDetail("bob@example.com", range, prisma);
      assert.equal(bob.lostRetrains.length, 2);
      assert.ok(bob.lostRetrains.every((t) => t.login === "bob" && t.dspamUser === "bob"));
      assert.deepEqual(bob.logins, [{ login: "bob", retrains: 2, misdirected: 2 }]);
      assert.ok(bob.folders.some((f) => f.folder === "Junk"));
      const bare = await getUserDetail("bob", range, prisma);
      assert.equal(bare.strayRetrains.length, 2);
      assert.ok(bare.findings.some((f) => f.kind === "dspam-user-sprawl"));
    });

    test("sorting the health table", async () => {
      const users = await getUserHealth({}, prisma);
      assert.deepEqual(
        sortUsers(users, "misdirected", "desc")
          .slice(0, 3)
          .map((u) => u.user)
          .sort(),
        ["alice@example.com", "bob@example.com", "dave@example.com"],
      );
      const bySuccess = sortUsers(users, "success", "asc");
      assert.equal(bySuccess[0]?.successRate, 0);
      assert.equal(bySuccess.at(-1)?.successRate, null, "users without retrains last");
    });

    test("the health checks say what is broken in the lab", async () => {
      const span = await getDataSpan(prisma);
      const range = resolveRange({}, span);
      const checks = assessHealth(await getHealthFacts(await getOverview(range, prisma), range, prisma));
      const state = Object.fromEntries(checks.map((c) => [c.key, c.state]));
      assert.deepEqual(state, {
        filtered: "ok",
        reachable: "ok",
        duplicates: "bad",
        training: "bad",
        scope: "warn",
        dictionaries: "bad",
      });
    });

    test("sources: read to the end, never followed live", async () => {
      const health = await getSourceHealth(prisma);
      assert.ok(health.size > 0);
      for (const h of health.values()) {
        assert.equal(h.lastReadAt, null);
        assert.equal(h.behind, 0);
      }
    });
  });

  describe(`related messages (${name})`, { skip }, () => {
    test("bounces found through the queue ids in the message's own lines are exactly getMessage's", async () => {
      const parents = await prisma.journey.findMany({
        where: { parentKey: { not: null } },
        select: { parentKey: true },
      });
      assert.equal(parents.length, 3);
      for (const { parentKey } of parents) {
        const parent = await prisma.journey.findUniqueOrThrow({ where: { key: parentKey ?? "" } });
        const id = parent.messageId ?? parentKey ?? "";
        const slow = await getMessage(id, prisma);
        const fast = await findMessage(id, prisma);
        assert.ok(slow && fast && slow.related.length > 0);
        assert.deepEqual(fast.related, slow.related);
      }
    });
  });
}

describe("message search parameters", () => {
  test("URL parameters: unknown values are dropped", () => {
    assert.deepEqual(
      parseMessageFilters({
        verdict: "maybe",
        origin: "inbound",
        finding: "nope",
        q: "  x  ",
        state: "x",
        host: "mx1; DROP",
      }),
      {
        q: "x",
        sender: undefined,
        recipient: undefined,
        client: undefined,
        queueId: undefined,
        messageId: undefined,
        text: undefined,
        mailbox: undefined,
        sasl: undefined,
        dspamUser: undefined,
        verdict: undefined,
        origin: "inbound",
        findings: undefined,
        findingId: undefined,
        state: undefined,
        host: undefined,
      },
    );
    assert.equal(parseMessageFilters({ host: " mx1.example.com " }).host, "mx1.example.com");
    assert.deepEqual(parseMessageFilters({ finding: "duplicate-delivery,nope,verdict-on-local" }).findings, [
      "duplicate-delivery",
      "verdict-on-local",
    ]);
    assert.equal(parseMessageFilters({ finding: "12" }).findingId, 12);
  });
});

describe("time ranges", () => {
  const span = { first: new Date(2026, 10, 22, 3, 26, 56), last: new Date(2026, 10, 22, 3, 27, 52) };

  test("default: the span of the data; presets count back from now; from/to win", () => {
    const all = resolveRange({}, span);
    assert.deepEqual(
      [all.preset, all.since, all.until.getTime()],
      ["all", span.first, span.last.getTime() + 1000],
    );
    const now = new Date(2026, 10, 22, 12, 0);
    const week = resolveRange({ range: "7d" }, span, now);
    assert.deepEqual([week.since, week.until, week.emptyWindow], [new Date(2026, 10, 15, 12, 0), now, null]);
    // A window that holds no data says so, and offers the same length ending with the newest data.
    const later = new Date(2026, 11, 6, 12, 0);
    const day = resolveRange({ range: "1d" }, span, later);
    assert.deepEqual([day.since, day.until], [new Date(2026, 11, 5, 12, 0), later]);
    assert.deepEqual(day.emptyWindow, { since: span.first, until: new Date(span.last.getTime() + 1000) });
    // Up to the next whole minute: the same window for every request within that minute.
    const within = resolveRange({ range: "1d" }, span, new Date(2026, 11, 6, 11, 59, 30, 250));
    assert.deepEqual([within.since, within.until], [day.since, later]);
    const custom = resolveRange({ from: "2026-11-22", to: "2026-11-22" }, span);
    assert.deepEqual(
      [custom.preset, custom.since, custom.until, custom.problems],
      ["custom", new Date(2026, 10, 22), new Date(2026, 10, 23), []],
    );
    const bad = resolveRange({ range: "bogus", from: "garbage" }, span);
    assert.equal(bad.preset, "all");
    assert.deepEqual(bad.problems, [
      "from=garbage is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM.",
      "range=bogus is not a range: use all, 1d, 7d or 30d.",
    ]);
    assert.deepEqual(resolveRange({ from: "2026-02-30" }, span).problems, [
      "from=2026-02-30 is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM.",
    ]);
    assert.deepEqual(parseLocalDate("2026-11-22T03:27", true), new Date(2026, 10, 22, 3, 28));
    assert.deepEqual(parseLocalDate("2026-11-22 03:27", false), new Date(2026, 10, 22, 3, 27));
  });

  test("bucket width follows the range", () => {
    const all = resolveRange({}, span);
    assert.equal(bucketFor(all), "minute");
    assert.deepEqual(bucketLabels(all, "minute"), ["2026-11-22 03:26", "2026-11-22 03:27"]);
    const month = { since: new Date(2026, 9, 1), until: new Date(2026, 10, 1) };
    assert.equal(bucketFor(month), "day");
    assert.equal(bucketLabels(month, "day").length, 31);
  });
});
