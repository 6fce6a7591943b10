// Read functions the weekly report needs beyond the shared ones in stats.ts, findings.ts and users.ts.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import type { Severity } from "../detect/types.ts";
import { readRows } from "./dialect.ts";
import type { TimeRange } from "./stats.ts";

/** What a reader needs to recognise a message: its subject, sender and when it arrived. */
export type MessageSummary = {
  messageId: string;
  subject: string | null;
  sender: string | null;
  firstTs: Date;
};

/** The first journey of each Message-ID (received mail, not its bounces or forwards), for examples in the report. */
export async function getMessageSummaries(
  messageIds: readonly string[],
  prisma: PrismaClient = getPrisma(),
): Promise<Map<string, MessageSummary>> {
  const wanted = [...new Set(messageIds)];
  const summaries = new Map<string, MessageSummary>();
  if (wanted.length === 0) return summaries;
  const journeys = await prisma.journey.findMany({
    where: { messageId: { in: wanted } },
    select: { messageId: true, subject: true, sender: true, firstTs: true, parentKey: true },
    orderBy: [{ firstTs: "asc" }, { id: "asc" }],
  });
  for (const parentsFirst of [true, false]) {
    for (const j of journeys) {
      if (j.messageId === null || summaries.has(j.messageId)) continue;
      if (parentsFirst && j.parentKey !== null) continue;
      summaries.set(j.messageId, {
        messageId: j.messageId,
        subject: j.subject,
        sender: j.sender,
        firstTs: j.firstTs,
      });
    }
  }
  return summaries;
}

/** When each finding was first seen, over all its evidence: a finding is new in a week that holds its first evidence. */
export async function getFindingsFirstSeen(
  findingIds: readonly number[],
  prisma: PrismaClient = getPrisma(),
): Promise<Map<number, Date>> {
  const rows = await prisma.findingEvidence.groupBy({
    by: ["findingId"],
    where: { findingId: { in: [...findingIds] } },
    _min: { ts: true },
  });
  const first = new Map<number, Date>();
  for (const row of rows) if (row._min.ts) first.set(row.findingId, row._min.ts);
  return first;
}

/** An open finding that had evidence before a range but none in it: fixed, or only quiet. */
export type QuietFinding = { id: number; kind: string; severity: Severity; lastSeen: Date };

/** Open findings seen before `range.since` and not within the range. */
export async function getQuietOpenFindings(
  range: TimeRange,
  prisma: PrismaClient = getPrisma(),
): Promise<QuietFinding[]> {
  const findings = await prisma.finding.findMany({
    where: {
      status: "open",
      evidence: { some: { ts: { lt: range.since } }, none: { ts: { gte: range.since, lt: range.until } } },
    },
    select: {
      id: true,
      kind: true,
      severity: true,
      evidence: {
        select: { ts: true },
        where: { ts: { lt: range.since } },
        orderBy: { ts: "desc" },
        take: 1,
      },
    },
  });
  return findings.map((f) => ({
    id: f.id,
    kind: f.kind,
    severity: f.severity as Severity,
    lastSeen: f.evidence[0]?.ts ?? range.since,
  }));
}

/** The mail hosts whose messages fall in the range (Journey.host), most messages first. */
export async function getMailHosts(range: TimeRange, prisma: PrismaClient = getPrisma()): Promise<string[]> {
  const rows = await prisma.journey.groupBy({
    by: ["host"],
    where: { firstTs: { gte: range.since, lt: range.until }, host: { not: null } },
    _count: { _all: true },
  });
  return rows
    .sort((a, b) => b._count._all - a._count._all)
    .map((r) => r.host)
    .filter((h): h is string => h !== null);
}

/** Messages and spam verdicts of each mail server in a range (a message that crossed servers counts on each). */
export async function getHostSummaries(
  range: TimeRange,
  prisma: PrismaClient = getPrisma(),
): Promise<{ host: string; messages: number; spam: number }[]> {
  const onHost = range.host ? { sql: " AND h.host = ?", params: [range.host] } : { sql: "", params: [] };
  const rows = await readRows<Record<string, unknown>>(
    prisma,
    `SELECT h.host, count(*) AS messages, sum(CASE WHEN j.verdict = 'spam' THEN 1 ELSE 0 END) AS spam
     FROM "JourneyHost" h JOIN "Journey" j ON j.id = h."journeyId"
     WHERE j."firstTs" >= ? AND j."firstTs" < ?${onHost.sql} GROUP BY h.host ORDER BY h.host`,
    range.since,
    range.until,
    ...onHost.params,
  );
  return rows.map((r) => ({ host: String(r.host), messages: Number(r.messages), spam: Number(r.spam ?? 0) }));
}
