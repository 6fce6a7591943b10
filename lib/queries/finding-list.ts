import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import type { FindingKind, Severity } from "../detect/types.ts";
import { dialectOf, END_OF_TIME, jsonColumnTable, readRows } from "./dialect.ts";
import { getRelatedLinks, type RelatedLink } from "./finding-links.ts";
import { explainedHeader, type FindingHeader } from "./findings.ts";
import { evidenceOnHost } from "./message-filters.ts";
import { countMessages } from "./messages.ts";

export const FINDING_STATUSES = ["open", "acknowledged", "muted"] as const;
export type FindingStatus = (typeof FINDING_STATUSES)[number];

export type FindingSummary = FindingHeader & {
  /** Evidence newer than the acknowledgement or mute (0 when open). */
  newSinceStatus: number;
  /** Every user and recipient its evidence in the range names. */
  users: string[];
  recipients: string[];
};

/** A finding as the list shows it: with its messages (as /messages?finding=<id> lists them) and related findings. */
export type FindingCard = FindingSummary & { messages: number; related: RelatedLink[] };

export type FindingListQuery = {
  since?: Date;
  until?: Date;
  kinds?: readonly FindingKind[];
  statuses?: readonly string[];
  severities?: readonly Severity[];
  /** Evidence on this mail server: about a journey that touched it, or a retraining made on it. */
  host?: string;
  limit?: number;
};

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");
// Evidence details an explanation reads (users, logins, …); more would only lengthen the lists.
const SAMPLE = 100;

/**
 * Findings with evidence in the range, most severe first, each with its explanation. Aggregates in
 * SQL and reads a sample of each finding's evidence for the texts, so it stays fast with hundreds
 * of thousands of evidence rows.
 */
export async function listFindings(
  query: FindingListQuery = {},
  prisma: PrismaClient = getPrisma(),
): Promise<FindingSummary[]> {
  const since = query.since ?? new Date(0);
  const until = query.until ?? END_OF_TIME;
  const where: string[] = [];
  const onHost = evidenceOnHost(query.host);
  const params: unknown[] = [since, until, ...onHost.params];
  if (query.kinds?.length) {
    where.push(`f.kind IN (${marks(query.kinds)})`);
    params.push(...query.kinds);
  }
  if (query.statuses?.length) {
    where.push(`f.status IN (${marks(query.statuses)})`);
    params.push(...query.statuses);
  }
  const rows = await readRows<Row>(
    prisma,
    `SELECT f.id, f.kind, f.subject, f.status, f."statusBy", f."statusAt",
       count(*) AS n, min(e.ts) AS first, max(e.ts) AS last,
       max(CASE e.severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END) AS rank,
       sum(CASE WHEN f."statusAt" IS NOT NULL AND f.status <> 'open' AND e.ts > f."statusAt" THEN 1 ELSE 0 END) AS fresh
     FROM "Finding" f JOIN "FindingEvidence" e ON e."findingId" = f.id AND e.ts >= ? AND e.ts < ?${onHost.sql}
     ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
     GROUP BY f.id`,
    ...params,
  );
  const severityOf = (rank: number): Severity => (rank >= 3 ? "high" : rank === 2 ? "medium" : "low");
  const kept = rows
    .filter((r) => !query.severities?.length || query.severities.includes(severityOf(num(r.rank))))
    .sort(
      (a, b) =>
        num(b.rank) - num(a.rank) ||
        num(b.n) - num(a.n) ||
        num(b.last) - num(a.last) ||
        num(a.id) - num(b.id),
    )
    .slice(0, query.limit ?? 1000);
  if (kept.length === 0) return [];
  const ids = kept.map((r) => num(r.id));
  // The newest evidence of each finding through its (findingId, ts) index, one small read each.
  const samples = (
    await Promise.all(
      ids.map((id) =>
        readRows<Row>(
          prisma,
          `SELECT "findingId", users, recipients, detail FROM "FindingEvidence" e
             WHERE "findingId" = ? AND ts >= ? AND ts < ?${onHost.sql} ORDER BY ts DESC, id DESC LIMIT ${SAMPLE}`,
          id,
          since,
          until,
          ...onHost.params,
        ),
      ),
    )
  ).flat();
  const byFinding = new Map<number, Row[]>();
  for (const s of samples) byFinding.set(num(s.findingId), [...(byFinding.get(num(s.findingId)) ?? []), s]);
  const people = await findingPeople(ids, { since, until, host: query.host }, prisma);
  return kept.map((r) => {
    const sample = byFinding.get(num(r.id)) ?? [];
    const kind = String(r.kind) as FindingKind;
    const subject = JSON.parse(String(r.subject)) as Record<string, string>;
    const severity = severityOf(num(r.rank));
    const { users, recipients } = people.get(num(r.id)) ?? { users: [], recipients: [] };
    return {
      ...explainedHeader(
        {
          id: num(r.id),
          kind,
          severity,
          subject,
          status: String(r.status),
          statusBy: r.statusBy === null ? null : String(r.statusBy),
          statusAt: r.statusAt === null ? null : new Date(num(r.statusAt)),
          count: num(r.n),
          firstSeen: new Date(num(r.first)),
          lastSeen: new Date(num(r.last)),
        },
        {
          users,
          recipients,
          details: sample.map((s) => JSON.parse(String(s.detail)) as Record<string, unknown>),
        },
      ),
      newSinceStatus: num(r.fresh),
      users,
      recipients,
    };
  });
}

/** Every distinct user and recipient the evidence of some findings in a range names. */
export async function findingPeople(
  ids: readonly number[],
  range: { since: Date; until: Date; host?: string },
  prisma: PrismaClient = getPrisma(),
): Promise<Map<number, { users: string[]; recipients: string[] }>> {
  const onHost = evidenceOnHost(range.host);
  const people = new Map<number, { users: string[]; recipients: string[] }>();
  if (ids.length === 0) return people;
  const dialect = dialectOf(prisma);
  const rows = await readRows<Row>(
    prisma,
    `SELECT e."findingId" AS id, 'u' AS k, u.value AS v FROM "FindingEvidence" e, ${jsonColumnTable(dialect, "e.users", "u")}
       WHERE e."findingId" IN (${marks(ids)}) AND e.ts >= ? AND e.ts < ?${onHost.sql}
     UNION SELECT e."findingId", 'r', r.value FROM "FindingEvidence" e, ${jsonColumnTable(dialect, "e.recipients", "r")}
       WHERE e."findingId" IN (${marks(ids)}) AND e.ts >= ? AND e.ts < ?${onHost.sql}
     ORDER BY 3`,
    ...ids,
    range.since,
    range.until,
    ...onHost.params,
    ...ids,
    range.since,
    range.until,
    ...onHost.params,
  );
  for (const row of rows) {
    const entry = people.get(num(row.id)) ?? { users: [], recipients: [] };
    (row.k === "u" ? entry.users : entry.recipients).push(String(row.v));
    people.set(num(row.id), entry);
  }
  return people;
}

/** One page of the findings a query means, as cards (messages and related findings), and how many there are. */
export async function getFindingsPage(
  query: FindingListQuery,
  page: { number: number; size: number },
  prisma: PrismaClient = getPrisma(),
): Promise<{ cards: FindingCard[]; total: number }> {
  const all = await listFindings(query, prisma);
  const shown = all.slice((page.number - 1) * page.size, page.number * page.size);
  const [related, messages] = await Promise.all([
    getRelatedLinks(shown, prisma),
    Promise.all(
      shown.map((f) =>
        countMessages({ findingId: f.id, since: query.since, until: query.until, host: query.host }, prisma),
      ),
    ),
  ]);
  return {
    cards: shown.map((f, i) => ({ ...f, messages: messages[i] ?? 0, related: related.get(f.id) ?? [] })),
    total: all.length,
  };
}
