import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import {
  allOf,
  columnClauses,
  type MessageFilters,
  messagePredicate,
  setFilters,
} from "./message-filters.ts";

export type { MessageFilters } from "./message-filters.ts";

/** Above this many candidates, a set filter is probed instead of driving the query. */
const BIG_SET = 500;
type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/** A page boundary: messages older (or newer) than this one, in (firstTs, id) order. */
export type MessageCursor = { ts: number; id: number; direction: "older" | "newer" };

export type MessageRow = {
  id: number;
  key: string;
  messageId: string | null;
  queueId: string;
  firstTs: Date;
  origin: string;
  service: string | null;
  client: string | null;
  saslUsername: string | null;
  sender: string | null;
  subject: string | null;
  verdict: string | null;
  filtered: boolean;
  delivered: number;
  complete: boolean;
  /** Still followed: queued, deferred, in the filter, or waiting for late lines. */
  inProgress: boolean;
  parentRelation: string | null;
  recipients: { address: string; destination: string; status: string; folder: string | null }[];
  dspamUsers: string[];
  findings: { id: number; kind: string; severity: string }[];
};

export type MessagePage = {
  rows: MessageRow[];
  /** Cursors for the neighbouring pages, null at either end. */
  newer: MessageCursor | null;
  older: MessageCursor | null;
  /** Messages matching: countMessages of the same filters. */
  matched: number;
};

export const PAGE_SIZE = 50;

/**
 * One page of messages matching the filters, newest first, with their recipients, DSPAM users and
 * findings. Paged by cursor (firstTs, id), so page 1,000 costs what page 1 costs.
 */
export async function searchMessages(
  filters: MessageFilters,
  options: { cursor?: MessageCursor | null; limit?: number } = {},
  prisma: PrismaClient = getPrisma(),
): Promise<MessagePage> {
  const limit = options.limit ?? PAGE_SIZE;
  const columns = columnClauses(filters);
  const sets = setFilters(filters);
  const sizes = await Promise.all(
    sets.map(async (set) => {
      const rows = (await prisma.$queryRawUnsafe(
        `SELECT count(*) AS n FROM (${set.candidates.sql} LIMIT ${BIG_SET + 1})`,
        ...set.candidates.params,
      )) as Row[];
      return num(rows[0]?.n);
    }),
  );
  const where = allOf([
    ...columns,
    ...sets.map((set, i) => ((sizes[i] ?? 0) > BIG_SET ? set.asExists : set.asIn)),
  ]);
  const cursor = options.cursor ?? null;
  const newerPage = cursor?.direction === "newer";
  const cursorSql = cursor
    ? newerPage
      ? " AND (j.firstTs > ? OR (j.firstTs = ? AND j.id > ?))"
      : " AND (j.firstTs < ? OR (j.firstTs = ? AND j.id < ?))"
    : "";
  const cursorParams = cursor ? [cursor.ts, cursor.ts, cursor.id] : [];
  const order = newerPage ? "ASC" : "DESC";
  const rows = (await prisma.$queryRawUnsafe(
    `SELECT j.id, j.key, j.messageId, j.firstTs, j.origin, j.service, j.clientName, j.clientIp, j.saslUsername,
       j.sender, j.subject, j.verdict, j.filtered, j.delivered, j.complete, j.inProgress, j.parentRelation
     FROM Journey j WHERE ${where.sql}${cursorSql}
     ORDER BY j.firstTs ${order}, j.id ${order} LIMIT ?`,
    ...where.params,
    ...cursorParams,
    limit + 1,
  )) as Row[];
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (newerPage) page.reverse();
  const matched = await countMessages(filters, prisma);
  const first = page[0];
  const last = page.at(-1);
  const at = (row: Row | undefined, direction: MessageCursor["direction"]): MessageCursor | null =>
    row ? { ts: num(row.firstTs), id: num(row.id), direction } : null;
  return {
    rows: await withDetails(page, prisma),
    newer: (newerPage ? more : cursor !== null) ? at(first, "newer") : null,
    older: (newerPage ? true : more) && page.length > 0 ? at(last, "older") : null,
    matched,
  };
}

/** How many messages match the filters: the number every "N messages" that links to a search shows. */
export async function countMessages(
  filters: MessageFilters,
  prisma: PrismaClient = getPrisma(),
): Promise<number> {
  const where = messagePredicate(filters);
  const rows = (await prisma.$queryRawUnsafe(
    `SELECT count(*) AS n FROM Journey j WHERE ${where.sql}`,
    ...where.params,
  )) as Row[];
  return num(rows[0]?.n);
}

async function withDetails(page: Row[], prisma: PrismaClient): Promise<MessageRow[]> {
  if (page.length === 0) return [];
  const ids = page.map((r) => num(r.id));
  const keys = page.map((r) => String(r.key));
  const deliveries = (await prisma.$queryRawUnsafe(
    `SELECT journeyId, recipient, destination, status, folder FROM Delivery
     WHERE journeyId IN (${marks(ids)}) AND +destination IN ('mailbox', 'external') ORDER BY ts, id`,
    ...ids,
  )) as Row[];
  const verdicts = (await prisma.$queryRawUnsafe(
    `SELECT DISTINCT journeyId, dspamUser FROM Verdict WHERE journeyId IN (${marks(ids)})`,
    ...ids,
  )) as Row[];
  const findings = (await prisma.$queryRawUnsafe(
    `SELECT DISTINCT e.ref, f.id, f.kind, f.severity FROM FindingEvidence e JOIN Finding f ON f.id = e.findingId
     WHERE e.ref IN (${marks(keys)})`,
    ...keys,
  )) as Row[];
  const group = <T>(rows: Row[], key: string, map: (r: Row) => T) => {
    const out = new Map<string, T[]>();
    for (const r of rows) out.set(String(r[key]), [...(out.get(String(r[key])) ?? []), map(r)]);
    return out;
  };
  const recipientsBy = group(deliveries, "journeyId", (r) => ({
    address: String(r.recipient),
    destination: String(r.destination),
    status: String(r.status),
    folder: str(r.folder),
  }));
  const usersBy = group(verdicts, "journeyId", (r) => String(r.dspamUser));
  const findingsBy = group(findings, "ref", (r) => ({
    id: num(r.id),
    kind: String(r.kind),
    severity: String(r.severity),
  }));
  return page.map((r) => {
    const key = String(r.key);
    const client = str(r.clientName);
    return {
      id: num(r.id),
      key,
      messageId: str(r.messageId),
      queueId: key.split("/").at(-2) ?? key,
      firstTs: new Date(num(r.firstTs)),
      origin: String(r.origin),
      service: str(r.service),
      client: client ? `${client}[${str(r.clientIp) ?? ""}]` : null,
      saslUsername: str(r.saslUsername),
      sender: str(r.sender),
      subject: str(r.subject),
      verdict: str(r.verdict),
      filtered: num(r.filtered) === 1,
      delivered: num(r.delivered),
      complete: num(r.complete) === 1,
      inProgress: num(r.inProgress) === 1,
      parentRelation: str(r.parentRelation),
      recipients: recipientsBy.get(String(r.id)) ?? [],
      dspamUsers: (usersBy.get(String(r.id)) ?? []).sort(),
      findings: findingsBy.get(key) ?? [],
    };
  });
}

/** `older:TS:ID` / `newer:TS:ID` from the URL. */
export function parseCursor(value: string | undefined): MessageCursor | null {
  const m = /^(older|newer):(\d{1,15}):(\d{1,12})$/.exec(value ?? "");
  if (!m) return null;
  return { direction: m[1] as MessageCursor["direction"], ts: Number(m[2]), id: Number(m[3]) };
}

export function formatCursor(cursor: MessageCursor): string {
  return `${cursor.direction}:${cursor.ts}:${cursor.id}`;
}
