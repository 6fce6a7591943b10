import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { explain } from "../detect/kinds.ts";
import type { FindingKind, Severity } from "../detect/types.ts";
import { parseEvent } from "../parsers/index.ts";
import { parseEnvelope } from "../syslog/envelope.ts";
import { getMessage, type MessageDetail } from "./message.ts";

/**
 * A message by Message-ID, queue id or journey key (the key reaches the rare message without a
 * Message-ID): everything getMessage knows about it.
 */
export async function findMessage(
  id: string,
  prisma: PrismaClient = getPrisma(),
): Promise<MessageDetail | null> {
  const wanted = id.trim().slice(0, 2000);
  let found = await getMessage(wanted, prisma, { related: false });
  if (!found && wanted.includes("/")) {
    const journey = await prisma.journey.findUnique({
      where: { key: wanted },
      select: {
        messageId: true,
        queues: { orderBy: { position: "asc" }, take: 1, select: { queueId: true } },
      },
    });
    const alias = journey?.messageId ?? journey?.queues[0]?.queueId;
    if (alias) found = await getMessage(alias, prisma, { related: false });
  }
  return found ? { ...found, related: await getChildren(found, prisma) } : null;
}

/**
 * Bounces and forwarded copies of a message, found through the queue ids its own lines name
 * (`sender non-delivery notification: QUEUEID`, forwarded as QUEUEID): index lookups, where
 * getMessage's parentKey search reads the whole Journey table.
 */
export async function getChildren(
  message: MessageDetail,
  prisma: PrismaClient = getPrisma(),
): Promise<MessageDetail["related"]> {
  const queueIds = new Set<string>();
  for (const d of message.journeys.flatMap((j) => j.deliveries))
    if (d.forwardedAs) queueIds.add(d.forwardedAs);
  for (const line of message.lines) {
    if (!line.raw.includes("non-delivery notification")) continue;
    const envelope = parseEnvelope(line.raw);
    const event = envelope ? parseEvent(envelope.program, envelope.message) : null;
    if (event?.kind === "postfix.bounce") queueIds.add(event.newQueueId);
  }
  if (queueIds.size === 0) return [];
  const keys = message.journeys.map((j) => j.key);
  const queues = await prisma.journeyQueue.findMany({
    where: { queueId: { in: [...queueIds] } },
    select: { journeyId: true },
  });
  const rows = await prisma.journey.findMany({
    where: { id: { in: queues.map((q) => q.journeyId) }, parentKey: { in: keys } },
    select: { key: true, parentRelation: true, messageId: true, firstTs: true },
    orderBy: { firstTs: "asc" },
  });
  return rows.map((r) => ({
    key: r.key,
    relation: r.parentRelation ?? "child",
    messageId: r.messageId,
    firstTs: r.firstTs,
  }));
}

export type MessageFinding = {
  id: number;
  kind: FindingKind;
  severity: Severity;
  status: string;
  /** What the finding says about this message alone. */
  summary: string;
};

/** The findings whose evidence is this message (its journeys, its retraining, or its Message-ID). */
export async function getMessageFindings(
  message: MessageDetail,
  prisma: PrismaClient = getPrisma(),
): Promise<MessageFinding[]> {
  const refs = [...message.journeys.map((j) => j.key), ...message.trainings.map((t) => t.key)];
  const evidence = await prisma.findingEvidence.findMany({
    where: {
      OR: [{ ref: { in: refs } }, ...(message.messageId ? [{ messageId: message.messageId }] : [])],
    },
    include: { finding: { select: { id: true, kind: true, status: true, subject: true } } },
    orderBy: [{ ts: "asc" }, { id: "asc" }],
  });
  const byFinding = new Map<number, typeof evidence>();
  for (const e of evidence) byFinding.set(e.findingId, [...(byFinding.get(e.findingId) ?? []), e]);
  const rank: Record<string, number> = { high: 3, medium: 2, low: 1 };
  return [...byFinding.values()]
    .map((rows) => {
      const finding = (rows[0] as (typeof rows)[number]).finding;
      const severity = rows.reduce<Severity>(
        (worst, e) => ((rank[e.severity] ?? 0) > (rank[worst] ?? 0) ? (e.severity as Severity) : worst),
        "low",
      );
      const { summary } = explain({
        kind: finding.kind as FindingKind,
        subject: JSON.parse(finding.subject) as Record<string, string>,
        severity,
        count: rows.length,
        users: [...new Set(rows.flatMap((e) => JSON.parse(e.users) as string[]))].sort(),
        recipients: [...new Set(rows.flatMap((e) => JSON.parse(e.recipients) as string[]))].sort(),
        details: rows.map((e) => JSON.parse(e.detail) as Record<string, unknown>),
      });
      return { id: finding.id, kind: finding.kind as FindingKind, severity, status: finding.status, summary };
    })
    .sort((a, b) => (rank[b.severity] ?? 0) - (rank[a.severity] ?? 0) || a.id - b.id);
}

export type ParentLink = { relation: string; messageId: string | null; key: string; firstTs: Date };

/** The messages these journeys are bounces or forwards of. */
export async function getParentMessages(
  message: MessageDetail,
  prisma: PrismaClient = getPrisma(),
): Promise<ParentLink[]> {
  const parents = message.journeys
    .filter((j) => j.parentKey)
    .map((j) => ({ key: j.parentKey as string, relation: j.parentRelation ?? "child" }));
  if (parents.length === 0) return [];
  const rows = await prisma.journey.findMany({
    where: { key: { in: parents.map((p) => p.key) } },
    select: { key: true, messageId: true, firstTs: true },
  });
  return rows.map((row) => ({
    key: row.key,
    messageId: row.messageId,
    firstTs: row.firstTs,
    relation: parents.find((p) => p.key === row.key)?.relation ?? "child",
  }));
}
