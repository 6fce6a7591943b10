import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import type { FindingKind, Severity } from "../detect/types.ts";
import { dialectOf, jsonColumnTable, readRows } from "./dialect.ts";
import { getRelatedLinks, type RelatedLink } from "./finding-links.ts";
import { explainedHeader, type FindingHeader } from "./findings.ts";
import { countMessages } from "./messages.ts";

export type EvidenceRow = {
  id: number;
  ref: string;
  ts: Date;
  severity: Severity;
  messageId: string | null;
  journeyKey: string | null;
  users: string[];
  recipients: string[];
  detail: Record<string, unknown>;
};

export type AuditRow = { id: number; action: string; actor: string; at: Date; note: string | null };

export type FindingDetail = FindingHeader & {
  key: string;
  /** Its messages, as /messages?finding=<id> lists them. */
  messages: number;
  related: RelatedLink[];
  note: string | null;
  users: string[];
  recipients: string[];
  evidence: EvidenceRow[];
  audit: AuditRow[];
};

export const EVIDENCE_PAGE_SIZE = 25;
// Details read to write the explanation (the lists in it are capped at a few names anyway).
const EXPLAIN_SAMPLE = 500;
const parse = <T>(text: string): T => JSON.parse(text) as T;

/** One finding with its explanation, its audit trail, and one page of evidence (newest first). */
export async function getFindingDetail(
  id: number,
  options: { page?: number; pageSize?: number } = {},
  prisma: PrismaClient = getPrisma(),
): Promise<FindingDetail | null> {
  const finding = await prisma.finding.findUnique({
    where: { id },
    include: { audit: { orderBy: [{ at: "desc" }, { id: "desc" }], take: 50 } },
  });
  if (!finding) return null;
  const pageSize = options.pageSize ?? EVIDENCE_PAGE_SIZE;
  const page = Math.max(1, options.page ?? 1);
  const [rows, sample, people] = await Promise.all([
    prisma.findingEvidence.findMany({
      where: { findingId: id },
      orderBy: [{ ts: "desc" }, { id: "desc" }],
      skip: (page - 1) * pageSize,
      take: pageSize,
    }),
    prisma.findingEvidence.findMany({
      where: { findingId: id },
      orderBy: [{ ts: "desc" }, { id: "desc" }],
      take: EXPLAIN_SAMPLE,
      select: { detail: true },
    }),
    readRows<{ k: string; v: string }>(
      prisma,
      `SELECT DISTINCT 'u' AS k, u.value AS v FROM "FindingEvidence" e, ${jsonColumnTable(dialectOf(prisma), "e.users", "u")}
       WHERE e."findingId" = ?
       UNION SELECT DISTINCT 'r', r.value FROM "FindingEvidence" e, ${jsonColumnTable(dialectOf(prisma), "e.recipients", "r")}
       WHERE e."findingId" = ?`,
      id,
      id,
    ),
  ]);
  const users = people
    .filter((p) => p.k === "u")
    .map((p) => String(p.v))
    .sort();
  const recipients = people
    .filter((p) => p.k === "r")
    .map((p) => String(p.v))
    .sort();
  const kind = finding.kind as FindingKind;
  const subject = parse<Record<string, string>>(finding.subject);
  const [related, messages] = await Promise.all([
    getRelatedLinks([{ id, kind, subject }], prisma),
    countMessages({ findingId: id }, prisma),
  ]);
  const severity = finding.severity as Severity;
  return {
    ...explainedHeader(
      {
        id: finding.id,
        kind,
        severity,
        subject,
        status: finding.status,
        statusBy: finding.statusBy,
        statusAt: finding.statusAt,
        count: finding.count,
        firstSeen: finding.firstSeen,
        lastSeen: finding.lastSeen,
      },
      { users, recipients, details: sample.map((s) => parse<Record<string, unknown>>(s.detail)) },
    ),
    key: finding.key,
    messages,
    related: related.get(id) ?? [],
    note: finding.note,
    users,
    recipients,
    evidence: rows.map((e) => ({
      id: e.id,
      ref: e.ref,
      ts: e.ts,
      severity: e.severity as Severity,
      messageId: e.messageId,
      journeyKey: e.journeyKey,
      users: parse<string[]>(e.users),
      recipients: parse<string[]>(e.recipients),
      detail: parse<Record<string, unknown>>(e.detail),
    })),
    audit: finding.audit.map((a) => ({ id: a.id, action: a.action, actor: a.actor, at: a.at, note: a.note })),
  };
}
