import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import type { Explanation, FindingFacts } from "../detect/definition.ts";
import { explain, FINDING_DEFINITIONS } from "../detect/kinds.ts";
import type { FindingKind, Severity } from "../detect/types.ts";
import { SEVERITY_RANK } from "../detect/types.ts";
import { END_OF_TIME, readRows } from "./dialect.ts";
import { getRelatedLinks, type RelatedLink } from "./finding-links.ts";
import { evidenceOnHost } from "./message-filters.ts";
import { countMessages } from "./messages.ts";

export type EvidenceView = {
  ref: string;
  ts: Date;
  severity: Severity;
  messageId: string | null;
  journeyKey: string | null;
  users: string[];
  recipients: string[];
  detail: Record<string, unknown>;
  lineIds: number[];
};

/** What every view of a finding shows: what is wrong, the admin's decision, how much evidence and when. */
export type FindingHeader = Explanation & {
  id: number;
  kind: FindingKind;
  /** The kind's title, and which of its causes this finding is ("IMAP logins without their domain"). */
  title: string;
  about: string;
  severity: Severity;
  subject: Record<string, string>;
  status: string;
  statusBy: string | null;
  statusAt: Date | null;
  /** Evidence rows (within the requested time range, where there is one). */
  count: number;
  firstSeen: Date;
  lastSeen: Date;
};

/** A finding's header with its explanation, both written from the same facts. */
export function explainedHeader(
  header: Omit<FindingHeader, keyof Explanation | "title" | "about">,
  facts: Pick<FindingFacts, "users" | "recipients" | "details">,
): FindingHeader {
  const { kind, subject, severity, count } = header;
  const definition = FINDING_DEFINITIONS[kind];
  return {
    ...explain({ kind, subject, severity, count, ...facts }),
    title: definition?.title ?? kind,
    about: definition?.cause(subject) ?? "",
    ...header,
  };
}

export type FindingView = FindingHeader & {
  key: string;
  note: string | null;
  messageIds: string[];
  users: string[];
  recipients: string[];
  evidence: EvidenceView[];
  /** Evidence rows in range; `evidence` may hold fewer when a limit was asked. */
  evidenceTotal: number;
  /** Its messages in the range, as /messages?finding=<id> lists them (retrainings lead to their message). */
  messages: number;
  /** Findings of the same cause, or that it causes. */
  related: RelatedLink[];
};

export type FindingQuery = {
  since?: Date;
  until?: Date;
  kinds?: readonly FindingKind[];
  statuses?: readonly string[];
  /** Findings with at least this severity. */
  minSeverity?: Severity;
  /** Evidence rows returned per finding (counts and lists are always complete). */
  evidenceLimit?: number;
  ids?: readonly number[];
  /** Evidence on this mail server (lib/queries/message-filters.ts evidenceOnHost). */
  host?: string;
};

/** The ids of the evidence on one server in a range (null: no host asked, all of it). */
async function evidenceIdsOnHost(query: FindingQuery, prisma: PrismaClient): Promise<Set<number> | null> {
  if (!query.host) return null;
  const onHost = evidenceOnHost(query.host);
  const rows = await readRows<{ id: unknown }>(
    prisma,
    `SELECT e.id FROM "FindingEvidence" e WHERE e.ts >= ? AND e.ts < ?${onHost.sql}`,
    query.since ?? new Date(0),
    query.until ?? END_OF_TIME,
    ...onHost.params,
  );
  return new Set(rows.map((r) => Number(r.id)));
}

const parse = <T>(text: string): T => JSON.parse(text) as T;

/** Findings with evidence in the time range, most severe and most recent first, with their explanation. */
export async function getFindings(
  query: FindingQuery = {},
  prisma: PrismaClient = getPrisma(),
): Promise<FindingView[]> {
  const findingWhere: Prisma.FindingWhereInput = {
    ...(query.kinds?.length ? { kind: { in: [...query.kinds] } } : {}),
    ...(query.statuses?.length ? { status: { in: [...query.statuses] } } : {}),
    ...(query.ids?.length ? { id: { in: [...query.ids] } } : {}),
  };
  const evidenceWhere: Prisma.FindingEvidenceWhereInput = {
    ts: { ...(query.since ? { gte: query.since } : {}), ...(query.until ? { lt: query.until } : {}) },
    finding: findingWhere,
  };
  const findings = await prisma.finding.findMany({ where: findingWhere });
  if (findings.length === 0) return [];
  const onHost = await evidenceIdsOnHost(query, prisma);
  const all = await prisma.findingEvidence.findMany({
    where: evidenceWhere,
    orderBy: [{ ts: "desc" }, { id: "desc" }],
    select: {
      findingId: true,
      ref: true,
      ts: true,
      severity: true,
      messageId: true,
      journeyKey: true,
      users: true,
      recipients: true,
      detail: true,
      lineIds: true,
      id: true,
    },
  });
  const rows = onHost ? all.filter((row) => onHost.has(row.id)) : all;
  const byFinding = new Map<number, typeof rows>();
  for (const row of rows) byFinding.set(row.findingId, [...(byFinding.get(row.findingId) ?? []), row]);
  const views: FindingView[] = [];
  for (const finding of findings) {
    const evidence = byFinding.get(finding.id);
    if (!evidence || evidence.length === 0) continue;
    const severity = evidence.reduce<Severity>(
      (worst, e) =>
        SEVERITY_RANK[e.severity as Severity] > SEVERITY_RANK[worst] ? (e.severity as Severity) : worst,
      "low",
    );
    if (query.minSeverity && SEVERITY_RANK[severity] < SEVERITY_RANK[query.minSeverity]) continue;
    const views_ = evidence.map(
      (e): EvidenceView => ({
        ref: e.ref,
        ts: e.ts,
        severity: e.severity as Severity,
        messageId: e.messageId,
        journeyKey: e.journeyKey,
        users: parse<string[]>(e.users),
        recipients: parse<string[]>(e.recipients),
        detail: parse<Record<string, unknown>>(e.detail),
        lineIds: parse<number[]>(e.lineIds),
      }),
    );
    const users = [...new Set(views_.flatMap((e) => e.users))].sort();
    const recipients = [...new Set(views_.flatMap((e) => e.recipients))].sort();
    const subject = parse<Record<string, string>>(finding.subject);
    const kind = finding.kind as FindingKind;
    views.push({
      ...explainedHeader(
        {
          id: finding.id,
          kind,
          severity,
          subject,
          status: finding.status,
          statusBy: finding.statusBy,
          statusAt: finding.statusAt,
          count: evidence.length,
          firstSeen: new Date(Math.min(...evidence.map((e) => e.ts.getTime()))),
          lastSeen: new Date(Math.max(...evidence.map((e) => e.ts.getTime()))),
        },
        { users, recipients, details: views_.map((e) => e.detail) },
      ),
      key: finding.key,
      note: finding.note,
      messageIds: [...new Set(views_.map((e) => e.messageId).filter((m): m is string => m !== null))].sort(),
      users,
      recipients,
      evidence: query.evidenceLimit === undefined ? views_ : views_.slice(0, query.evidenceLimit),
      evidenceTotal: evidence.length,
      messages: 0,
      related: [],
    });
  }
  const related = await getRelatedLinks(views, prisma);
  for (const view of views) {
    view.related = related.get(view.id) ?? [];
    view.messages = await countMessages(
      { findingId: view.id, since: query.since, until: query.until, host: query.host },
      prisma,
    );
  }
  return views.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      b.count - a.count ||
      b.lastSeen.getTime() - a.lastSeen.getTime() ||
      a.key.localeCompare(b.key),
  );
}
