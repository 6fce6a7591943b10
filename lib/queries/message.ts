import type { Prisma, PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { getStoredLines } from "./stored-lines.ts";

const journeyInclude = {
  queues: { orderBy: { position: "asc" } },
  deliveries: { orderBy: [{ ts: "asc" }, { lineId: "asc" }] },
  verdicts: { orderBy: [{ ts: "asc" }, { lineId: "asc" }] },
  hosts: { orderBy: { host: "asc" } },
} satisfies Prisma.JourneyInclude;

export type JourneyDetail = Prisma.JourneyGetPayload<{ include: typeof journeyInclude }>;
export type TrainingRow = Prisma.TrainingGetPayload<object>;

export type MessageLine = {
  id: number;
  ts: Date | null;
  raw: string;
  event: string;
  /** Which hop of the journey the line belongs to: a queue id, session, dspam, dovecot, training. */
  hop: string;
  source: string;
  lineNo: number;
};

export type MessageDetail = {
  messageId: string | null;
  /** Journeys with this Message-ID (usually one; a message received twice has two). */
  journeys: JourneyDetail[];
  /** Bounces and forwarded copies of these journeys. */
  related: { key: string; relation: string; messageId: string | null; firstTs: Date }[];
  trainings: TrainingRow[];
  lines: MessageLine[];
};

/**
 * Everything known about one message, found by Message-ID (with or without <>) or by any of its
 * Postfix queue ids: all journeys with that Message-ID, their retraining, and their raw lines.
 */
export async function getMessage(
  idOrQueueId: string,
  prisma: PrismaClient = getPrisma(),
  options: {
    /** Look up bounces and forwards by parentKey (a scan of Journey while it has no index); default true. */
    related?: boolean;
  } = {},
): Promise<MessageDetail | null> {
  const wanted = idOrQueueId.trim().replace(/^<(.*)>$/, "$1");
  if (wanted === "") return null;
  let journeys = await prisma.journey.findMany({
    where: { messageId: wanted },
    include: journeyInclude,
    orderBy: { firstTs: "asc" },
  });
  if (journeys.length === 0) {
    const queue = await prisma.journeyQueue.findFirst({
      where: { queueId: wanted },
      orderBy: { firstTs: "desc" },
    });
    if (!queue) return null;
    const journey = await prisma.journey.findUnique({
      where: { id: queue.journeyId },
      include: journeyInclude,
    });
    if (!journey) return null;
    journeys = journey.messageId
      ? await prisma.journey.findMany({
          where: { messageId: journey.messageId },
          include: journeyInclude,
          orderBy: { firstTs: "asc" },
        })
      : [journey];
  }
  const messageId = journeys[0]?.messageId ?? null;
  const ids = journeys.map((j) => j.id);
  const signatures = journeys
    .flatMap((j) => j.verdicts.map((v) => v.signature))
    .filter((s): s is string => s !== null);
  const trainings = await prisma.training.findMany({
    where: {
      OR: [
        { journeyId: { in: ids } },
        ...(signatures.length > 0 ? [{ signature: { in: signatures } }] : []),
        ...(messageId ? [{ messageId }] : []),
      ],
    },
    orderBy: { ts: "asc" },
  });
  const related =
    options.related === false
      ? []
      : await prisma.journey.findMany({
          where: { parentKey: { in: journeys.map((j) => j.key) } },
          select: { key: true, parentRelation: true, messageId: true, firstTs: true },
          orderBy: { firstTs: "asc" },
        });
  const hops = new Map<number, string>();
  for (const journey of journeys) {
    for (const [lineId, hop] of JSON.parse(journey.lines) as [number, string][]) hops.set(lineId, hop);
  }
  for (const training of trainings) {
    for (const lineId of JSON.parse(training.lines) as number[]) hops.set(lineId, "training");
  }
  const stored = await getStoredLines(hops.keys(), prisma);
  const sources = await prisma.source.findMany({
    where: { id: { in: [...new Set([...stored.values()].map((line) => line.sourceId))] } },
    select: { id: true, path: true },
  });
  const paths = new Map(sources.map((source) => [source.id, source.path]));
  return {
    messageId,
    journeys,
    related: related.map((r) => ({
      key: r.key,
      relation: r.parentRelation ?? "child",
      messageId: r.messageId,
      firstTs: r.firstTs,
    })),
    trainings,
    lines: [...stored.values()]
      .map((line) => ({
        id: line.id,
        ts: line.ts === null ? null : new Date(line.ts),
        raw: line.text,
        event: line.event,
        hop: hops.get(line.id) ?? "",
        source: paths.get(line.sourceId) ?? "",
        lineNo: line.lineNo,
      }))
      .sort((a, b) => (a.ts?.getTime() ?? 0) - (b.ts?.getTime() ?? 0) || a.id - b.id),
  };
}
