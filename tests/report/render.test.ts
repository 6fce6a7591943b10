import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { FINDING_KINDS } from "../../lib/detect/types.ts";
import type { Overview } from "../../lib/queries/stats.ts";
import { groupFindings } from "../../lib/report/build.ts";
import { dashboardLinks } from "../../lib/report/links.ts";
import type { ReportData, ReportFinding } from "../../lib/report/model.ts";
import { parseWeek, previousPeriod } from "../../lib/report/period.ts";
import { renderHtml } from "../../lib/report/render-html.ts";
import { renderText } from "../../lib/report/render-text.ts";
import { decideVerdict } from "../../lib/report/verdict.ts";

const week = parseWeek("2026-W47") ?? assert.fail();
const overview: Overview = {
  range: week,
  filters: ["dspam"],
  messages: 250_000,
  byOrigin: { inbound: 200_000, authenticated: 30_000, local: 20_000, unknown: 0 },
  byVerdict: { spam: 90_000, innocent: 150_000, none: 10_000 },
  filtered: 240_000,
  bypassed: 0,
  deferredToFilter: 0,
  deliveredCopies: 260_000,
  inFlight: 3,
  inProgress: 3,
  trainings: { attempts: 400, applied: 300, failed: 60, misdirected: 40, unknown: 0 },
  openFindings: { high: 30, medium: 40, low: 30 },
};

/** A busy server's week: ten findings of every kind, 40 users retraining, 30 addresses with duplicates. */
function busyWeek(): ReportData {
  const findings: ReportFinding[] = FINDING_KINDS.flatMap((kind, k) =>
    Array.from({ length: 10 }, (_, i) => ({
      id: k * 100 + i,
      kind,
      about: `cause ${i}`,
      filter: "dspam",
      severity: k < 3 ? "high" : k < 7 ? "medium" : "low",
      summary: `${i + 1} things about user${i}@example.com went wrong in a way that takes a sentence to say.`,
      cause: "A cause.",
      fix: "A fix with `code in it`.",
      count: 10 - i,
      firstSeen: week.since,
      lastSeen: week.since,
      isNew: i % 2 === 0,
      messages: 10 - i,
      examples: [
        {
          messageId: `20261122.${k}.${i}@example.com`,
          subject: "A subject",
          sender: "a@example.com",
          ts: week.since,
        },
      ],
    })),
  );
  const groups = groupFindings(findings);
  return {
    period: week,
    previous: previousPeriod(week),
    generatedAt: week.until,
    hosts: ["mx1", "mx2"],
    host: null,
    servers: [
      { host: "mx1", messages: 120, spam: 30 },
      { host: "mx2", messages: 80, spam: 12 },
    ],
    verdict: decideVerdict(overview, groups),
    overview,
    previousOverview: overview,
    findings: {
      newGroups: groupFindings(findings.filter((f) => f.isNew)),
      ongoingGroups: groupFindings(findings.filter((f) => !f.isNew)),
      newCount: 50,
      ongoingCount: 50,
      quiet: 4,
      silenced: 2,
      openTotal: { high: 30, medium: 40, low: 30 },
    },
    config: null,
    duplicates: Array.from({ length: 30 }, (_, i) => ({
      findingId: i,
      recipient: `pager${i}@pager.example.net`,
      messages: 100 - i,
      extraCopies: 100 - i,
      via: ["root@example.com", "bob@example.com"],
      example: null,
    })),
    training: {
      rows: Array.from({ length: 40 }, (_, i) => ({
        user: `user${i}@example.com`,
        filter: "dspam",
        isMailbox: true,
        classified: 1000,
        spam: 300,
        innocent: 700,
        retrains: 10,
        retrainsApplied: 8,
        retrainsFailed: 1,
        retrainsMisdirected: 1,
        successRate: 0.8,
        firstSeen: week.since,
        lastSeen: week.since,
      })),
      idleMailboxes: 200,
    },
    unfiltered: [
      {
        what: "authenticated",
        messages: 30_000,
        judged: 0,
        taggedSpam: 0,
        judgedFilter: {},
        who: [],
        findingIds: [],
      },
      {
        what: "local",
        messages: 20_000,
        judged: 0,
        taggedSpam: 0,
        judgedFilter: {},
        who: [],
        findingIds: [],
      },
      {
        what: "outgoing",
        messages: null,
        judged: 0,
        taggedSpam: 0,
        judgedFilter: {},
        who: [],
        findingIds: [],
      },
    ],
    volumes: [
      {
        origin: "inbound",
        current: { spam: 90_000, innocent: 100_000, none: 10_000, total: 200_000 },
        previousTotal: 190_000,
      },
      {
        origin: "total",
        current: { spam: 90_000, innocent: 150_000, none: 10_000, total: 250_000 },
        previousTotal: 240_000,
      },
    ],
    daily: [],
  };
}

describe("a busy week stays a readable mail", () => {
  const data = busyWeek();
  const links = dashboardLinks("https://spamtrail.example.com");
  const html = renderHtml(data, links);
  const text = renderText(data, links);

  test("the HTML stays under Gmail's clipping size (102 kB)", () => {
    assert.ok(Buffer.byteLength(html) < 90_000, `${Buffer.byteLength(html)} bytes`);
  });

  test("three new and two still open findings per kind, twelve rows per table; the rest counted and linked", () => {
    assert.equal((html.match(/&#8226;/g) ?? []).length, FINDING_KINDS.length * (3 + 2));
    for (const more of [2, 3])
      assert.match(
        text,
        new RegExp(
          `^ {2}and ${more} more findings of this kind: https://spamtrail\\.example\\.com/findings$`,
          "m",
        ),
      );
    assert.match(html, /and 28 more users <a href="https:\/\/spamtrail\.example\.com\/"/);
    assert.match(html, /and 18 more recipients <a href="https:\/\/spamtrail\.example\.com\/findings"/);
    assert.match(text, /^and 28 more users$/m);
    assert.match(text, /^and 18 more recipients$/m);
    assert.match(text, /^Messages\s+250,000 \(±0 vs last week\)$/m);
  });
});

describe("a report of several mail servers", () => {
  const data = busyWeek();

  test("names each server's messages and spam in one line, in both parts; one server has no such line", () => {
    const line = "mx1 120 messages (30 spam) · mx2 80 messages (12 spam)";
    assert.ok(renderText(data, null).includes(`\nServers          ${line}\n`));
    assert.ok(renderHtml(data, null).includes(`Servers: ${line}`));
    const one = { ...data, servers: [{ host: "mx1", messages: 120, spam: 30 }] };
    assert.ok(!renderText(one, null).includes("Servers "));
    assert.ok(!renderHtml(one, null).includes("Servers:"));
  });

  test("a report of one server links to that server's view of the dashboard", () => {
    const links = dashboardLinks("https://spamtrail.example.com", "mx2");
    assert.equal(links?.home, "https://spamtrail.example.com/?host=mx2");
    assert.equal(
      links?.messages({ verdict: "spam" }),
      "https://spamtrail.example.com/messages?verdict=spam&host=mx2",
    );
  });
});
