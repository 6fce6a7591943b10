import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { bigSet, dialectOf, drivingSet, indexHint, readRows } from "./dialect.ts";
import {
  allOf,
  columnClauses,
  type MessageFilters,
  messagePredicate,
  type ResolvedFilters,
  type SetFilter,
  setFilters,
} from "./message-filters.ts";
import { DEFAULT_PAGE_SIZE, type MessageSort } from "./message-params.ts";
import { orderBy } from "./message-search-sql.ts";

export type { MessageFilters } from "./message-filters.ts";

type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");

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
  recipients: {
    address: string;
    /** The address the sender wrote, when an alias or forward made it another (orig_to). */
    original: string | null;
    destination: string;
    status: string;
    folder: string | null;
  }[];
  /** The addresses the sender wrote that aliases or forwards made others (orig_to of any delivery or hand-off). */
  writtenTo: string[];
  dspamUsers: string[];
  findings: { id: number; kind: string; severity: string }[];
};

export type MessagePage = {
  rows: MessageRow[];
  /** Where the page starts in the whole result (0-based). */
  offset: number;
  /** Messages matching: countMessages of the same filters. */
  matched: number;
  /** Another page follows. */
  more: boolean;
};

/**
 * One page of the messages matching the filters, in the order asked for (newest first by
 * default), with their recipients, DSPAM users and findings, where the page starts and how many
 * match. The Messages page, its export and `spamtrail messages` all search here.
 */
export async function searchMessages(
  filters: MessageFilters,
  options: { sort?: MessageSort; size?: number; page?: number; count?: boolean } = {},
  prisma: PrismaClient = getPrisma(),
): Promise<MessagePage> {
  const size = Math.max(1, Math.min(options.size ?? DEFAULT_PAGE_SIZE, 10_000));
  const offset = Math.max(0, ((options.page ?? 1) - 1) * size);
  const columns = columnClauses(filters);
  const dialect = dialectOf(prisma);
  const resolved = await resolveFilters(filters, prisma);
  const sets = setFilters(filters, dialect, resolved);
  const big = bigSet(dialect);
  // One set alone is counted whole at once: the count is its size, and a page that is not the
  // last needs the count anyway (a big set's candidates are then read once, not twice).
  const alone = aloneSet(filters, sets);
  const total = alone && options.count !== false ? await countDistinct(alone, prisma) : undefined;
  const sizes = await Promise.all(
    sets.map(async (set) => {
      if (total !== undefined) return total;
      const rows = await readRows<Row>(
        prisma,
        `SELECT count(*) AS n FROM (${set.candidates.sql} LIMIT ${big + 1}) AS candidates`,
        ...set.candidates.params,
      );
      return num(rows[0]?.n);
    }),
  );
  const driving = (set: (typeof sets)[number]) => ({
    sql: `j.id IN (${drivingSet(dialect, set.candidates.sql)})`,
    params: set.candidates.params,
  });
  const where = allOf([
    ...columns,
    ...sets.map((set, i) => ((sizes[i] ?? 0) > big ? set.asExists : driving(set))),
  ]);
  // Ids first (an index walk that skips the offset without reading rows), then the page's rows.
  const idRows = await readRows<Row>(
    prisma,
    `SELECT j.id FROM "Journey" j WHERE ${where.sql} ORDER BY ${orderBy(options.sort ?? "newest")} LIMIT ? OFFSET ?`,
    ...where.params,
    size + 1,
    offset,
  );
  const ids = idRows.slice(0, size).map((r) => num(r.id));
  const rows = ids.length
    ? await readRows<Row>(
        prisma,
        `SELECT j.id, j.key, j."messageId", j."firstTs", j.origin, j.service, j."clientName", j."clientIp", j."saslUsername",
           j.sender, j.subject, j.verdict, j.filtered, j.delivered, j.complete, j."inProgress", j."parentRelation"
         FROM "Journey" j WHERE j.id IN (${marks(ids)})`,
        ...ids,
      )
    : [];
  const byId = new Map(rows.map((r) => [num(r.id), r]));
  const page = ids.map((id) => byId.get(id)).filter((r): r is Row => r !== undefined);
  const more = idRows.length > size;
  // The last page knows the total; otherwise it is counted as every counter counts it.
  const matched =
    more && options.count !== false
      ? (total ?? (await countMessages(filters, prisma)))
      : offset + page.length;
  return { rows: await withDetails(page, prisma), offset, matched, more };
}

/** How many messages match the filters: the number every "N messages" that links to a search shows. */
export async function countMessages(
  filters: MessageFilters,
  prisma: PrismaClient = getPrisma(),
): Promise<number> {
  const dialect = dialectOf(prisma);
  const resolved = await resolveFilters(filters, prisma);
  const alone = aloneSet(filters, setFilters(filters, dialect, resolved));
  if (alone) return countDistinct(alone, prisma);
  const { sql, params } = messagePredicate(filters, dialect, resolved);
  const rows = await readRows<Row>(prisma, `SELECT count(*) AS n FROM "Journey" j WHERE ${sql}`, ...params);
  return num(rows[0]?.n);
}

/** The one set filter of a filter that has no other condition (a domain, an alias, a finding). */
function aloneSet(filters: MessageFilters, sets: SetFilter[]): SetFilter | undefined {
  return sets.length === 1 && columnClauses(filters).length === 0 ? sets[0] : undefined;
}

/**
 * A set's distinct journeys, counted from its own index, without a lookup in Journey for each
 * (every set holds only existing journeys).
 */
async function countDistinct(set: SetFilter, prisma: PrismaClient): Promise<number> {
  const { sql, params } = set.perJourney ?? {
    sql: `SELECT DISTINCT * FROM (${set.candidates.sql}) AS candidates`,
    params: set.candidates.params,
  };
  const rows = await readRows<Row>(prisma, `SELECT count(*) AS n FROM (${sql}) AS journeys`, ...params);
  return num(rows[0]?.n);
}

/** What the filter's SQL takes from the database first: the findings of the kinds asked for. */
export async function resolveFilters(
  filters: MessageFilters,
  prisma: PrismaClient,
): Promise<ResolvedFilters> {
  const kinds = filters.findings;
  if (!kinds?.length) return {};
  const rows = await readRows<Row>(
    prisma,
    `SELECT id FROM "Finding" WHERE kind IN (${marks(kinds)}) ORDER BY id`,
    ...kinds,
  );
  return { kindFindingIds: rows.map((r) => num(r.id)) };
}

async function withDetails(page: Row[], prisma: PrismaClient): Promise<MessageRow[]> {
  if (page.length === 0) return [];
  const ids = page.map((r) => num(r.id));
  const keys = page.map((r) => String(r.key));
  const deliveries = await readRows<Row>(
    prisma,
    `SELECT "journeyId", recipient, "origRecipient", destination, status, folder FROM "Delivery"
     WHERE "journeyId" IN (${marks(ids)}) AND ${indexHint(dialectOf(prisma), "destination")} IN ('mailbox', 'external') ORDER BY ts, id`,
    ...ids,
  );
  const originals = await readRows<Row>(
    prisma,
    `SELECT DISTINCT "journeyId", lower("origRecipient") AS address FROM "Delivery"
     WHERE "journeyId" IN (${marks(ids)}) AND "origRecipient" IS NOT NULL AND lower("origRecipient") <> lower(recipient)`,
    ...ids,
  );
  const verdicts = await readRows<Row>(
    prisma,
    `SELECT DISTINCT "journeyId", "filterUser" FROM "Verdict" WHERE "journeyId" IN (${marks(ids)}) AND "filterUser" IS NOT NULL`,
    ...ids,
  );
  const findings = await readRows<Row>(
    prisma,
    `SELECT DISTINCT e.ref, f.id, f.kind, f.severity FROM "FindingEvidence" e JOIN "Finding" f ON f.id = e."findingId"
     WHERE e.ref IN (${marks(keys)}) ORDER BY f.id`,
    ...keys,
  );
  const group = <T>(rows: Row[], key: string, map: (r: Row) => T) => {
    const out = new Map<string, T[]>();
    for (const r of rows) out.set(String(r[key]), [...(out.get(String(r[key])) ?? []), map(r)]);
    return out;
  };
  const recipientsBy = group(deliveries, "journeyId", (r) => ({
    address: String(r.recipient),
    original:
      r.origRecipient && String(r.origRecipient).toLowerCase() !== String(r.recipient).toLowerCase()
        ? String(r.origRecipient)
        : null,
    destination: String(r.destination),
    status: String(r.status),
    folder: str(r.folder),
  }));
  const originalsBy = group(originals, "journeyId", (r) => String(r.address));
  const usersBy = group(verdicts, "journeyId", (r) => String(r.filterUser));
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
      writtenTo: (originalsBy.get(String(r.id)) ?? [])
        .filter((a) => !(recipientsBy.get(String(r.id)) ?? []).some((d) => d.address.toLowerCase() === a))
        .sort(),
      dspamUsers: (usersBy.get(String(r.id)) ?? []).sort(),
      findings: findingsBy.get(key) ?? [],
    };
  });
}
