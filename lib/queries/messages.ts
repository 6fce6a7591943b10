import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { FINDING_KINDS, type FindingKind } from "../detect/types.ts";
import { ORIGINS, type Origin } from "./stats.ts";

export const VERDICT_FILTERS = ["spam", "innocent", "none"] as const;
export type VerdictFilter = (typeof VERDICT_FILTERS)[number];

/** What the message search understands; every field is optional and they combine with AND. */
export type MessageFilters = {
  /** Message-ID, queue id, address, SASL login or DSPAM user: exact, any of them. */
  q?: string;
  sender?: string;
  recipient?: string;
  sasl?: string;
  dspamUser?: string;
  verdict?: VerdictFilter;
  origin?: Origin;
  finding?: FindingKind;
  since?: Date;
  until?: Date;
};

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
  /** Messages matching, counted up to COUNT_CAP (then `capped`). */
  matched: number;
  capped: boolean;
};

export const PAGE_SIZE = 50;
const COUNT_CAP = 1000;
type Row = Record<string, unknown>;
const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
// Addresses are matched as typed and lower-cased, so an index lookup still finds them.
const spellings = (value: string) => [...new Set([value, value.toLowerCase()])];
const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");

type Clause = { sql: string; params: unknown[] };

/**
 * A filter on a set of journeys found through another table (deliveries, verdicts, evidence): as
 * `id IN (candidates)` it drives the query from that table's index, as `EXISTS (…)` it is probed
 * while walking Journey newest first. The first is fast for few candidates, the second for many
 * (a page fills after a few hundred probes instead of sorting thousands of rows).
 */
type SetFilter = { candidates: Clause; asIn: Clause; asExists: Clause };

/** Above this many candidates, a set filter is probed instead of driving the query. */
const BIG_SET = 500;

function setFilters(filters: MessageFilters): SetFilter[] {
  const out: SetFilter[] = [];
  if (filters.recipient) {
    const s = spellings(filters.recipient);
    const candidates = { sql: `SELECT journeyId FROM Delivery WHERE recipient IN (${marks(s)})`, params: s };
    out.push({
      candidates,
      asIn: { sql: `j.id IN (${candidates.sql})`, params: s },
      asExists: {
        sql: `EXISTS (SELECT 1 FROM Delivery d WHERE d.journeyId = j.id AND d.recipient IN (${marks(s)}))`,
        params: s,
      },
    });
  }
  if (filters.dspamUser) {
    const s = spellings(filters.dspamUser);
    const candidates = {
      sql: `SELECT journeyId FROM Verdict WHERE dspamUser IN (${marks(s)}) AND journeyId IS NOT NULL`,
      params: s,
    };
    out.push({
      candidates,
      asIn: { sql: `j.id IN (${candidates.sql})`, params: s },
      asExists: {
        sql: `EXISTS (SELECT 1 FROM Verdict v WHERE v.journeyId = j.id AND v.dspamUser IN (${marks(s)}))`,
        params: s,
      },
    });
  }
  if (filters.finding) {
    const kind = [filters.finding];
    const candidates = {
      sql: "SELECT e.ref FROM FindingEvidence e JOIN Finding f ON f.id = e.findingId WHERE f.kind = ?",
      params: kind,
    };
    out.push({
      candidates,
      asIn: { sql: `j.key IN (${candidates.sql})`, params: kind },
      asExists: {
        sql: "EXISTS (SELECT 1 FROM FindingEvidence e JOIN Finding f ON f.id = e.findingId WHERE e.ref = j.key AND f.kind = ?)",
        params: kind,
      },
    });
  }
  if (filters.q) {
    const bare = filters.q.replace(/^<(.*)>$/, "$1");
    const s = spellings(bare);
    const m = marks(s);
    const candidates = {
      sql: `SELECT id FROM Journey WHERE messageId = ?
         UNION SELECT journeyId FROM JourneyQueue WHERE queueId = ?
         UNION SELECT id FROM Journey WHERE sender IN (${m})
         UNION SELECT id FROM Journey WHERE saslUsername IN (${m})
         UNION SELECT journeyId FROM Delivery WHERE recipient IN (${m})
         UNION SELECT journeyId FROM Verdict WHERE dspamUser IN (${m}) AND journeyId IS NOT NULL`,
      params: [bare, bare, ...s, ...s, ...s, ...s],
    };
    out.push({
      candidates,
      asIn: { sql: `j.id IN (${candidates.sql})`, params: candidates.params },
      asExists: {
        sql: `(j.messageId = ? OR j.sender IN (${m}) OR j.saslUsername IN (${m})
           OR EXISTS (SELECT 1 FROM JourneyQueue q WHERE q.journeyId = j.id AND q.queueId = ?)
           OR EXISTS (SELECT 1 FROM Delivery d WHERE d.journeyId = j.id AND d.recipient IN (${m}))
           OR EXISTS (SELECT 1 FROM Verdict v WHERE v.journeyId = j.id AND v.dspamUser IN (${m})))`,
        params: [bare, ...s, ...s, bare, ...s, ...s],
      },
    });
  }
  return out;
}

/** WHERE clause and parameters for the filters on Journey's own columns (the firstTs range, origin, …). */
function columnClauses(filters: MessageFilters): Clause[] {
  const clauses: Clause[] = [];
  const add = (sql: string, ...params: unknown[]) => clauses.push({ sql, params });
  if (filters.since) add("j.firstTs >= ?", filters.since.getTime());
  if (filters.until) add("j.firstTs < ?", filters.until.getTime());
  if (filters.origin) add("j.origin = ?", filters.origin);
  if (filters.verdict === "none") add("j.verdict IS NULL");
  else if (filters.verdict) add("j.verdict = ?", filters.verdict);
  if (filters.sender) {
    const s = spellings(filters.sender);
    add(`j.sender IN (${marks(s)})`, ...s);
  }
  if (filters.sasl) {
    const s = spellings(filters.sasl);
    add(`j.saslUsername IN (${marks(s)})`, ...s);
  }
  return clauses;
}

function join(clauses: Clause[]): Clause {
  return {
    sql: clauses.length ? clauses.map((c) => c.sql).join(" AND ") : "1",
    params: clauses.flatMap((c) => c.params),
  };
}

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
  const where = join([
    ...columns,
    ...sets.map((set, i) => ((sizes[i] ?? 0) > BIG_SET ? set.asExists : set.asIn)),
  ]);
  const countWhere = join([...columns, ...sets.map((set) => set.asIn)]);
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
       j.sender, j.subject, j.verdict, j.filtered, j.delivered, j.complete, j.parentRelation
     FROM Journey j WHERE ${where.sql}${cursorSql}
     ORDER BY j.firstTs ${order}, j.id ${order} LIMIT ?`,
    ...where.params,
    ...cursorParams,
    limit + 1,
  )) as Row[];
  const more = rows.length > limit;
  const page = rows.slice(0, limit);
  if (newerPage) page.reverse();
  const counted = (await prisma.$queryRawUnsafe(
    `SELECT count(*) AS n FROM (SELECT 1 FROM Journey j WHERE ${countWhere.sql} LIMIT ?)`,
    ...countWhere.params,
    COUNT_CAP + 1,
  )) as Row[];
  const matched = num(counted[0]?.n);
  const first = page[0];
  const last = page.at(-1);
  const at = (row: Row | undefined, direction: MessageCursor["direction"]): MessageCursor | null =>
    row ? { ts: num(row.firstTs), id: num(row.id), direction } : null;
  return {
    rows: await withDetails(page, prisma),
    newer: (newerPage ? more : cursor !== null) ? at(first, "newer") : null,
    older: (newerPage ? true : more) && page.length > 0 ? at(last, "older") : null,
    matched: Math.min(matched, COUNT_CAP),
    capped: matched > COUNT_CAP,
  };
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
      parentRelation: str(r.parentRelation),
      recipients: recipientsBy.get(String(r.id)) ?? [],
      dspamUsers: (usersBy.get(String(r.id)) ?? []).sort(),
      findings: findingsBy.get(key) ?? [],
    };
  });
}

const pick = <T extends string>(allowed: readonly T[], value: string | undefined) =>
  allowed.includes(value as T) ? (value as T) : undefined;
const clean = (value: string | undefined) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, 998) : undefined;
};

/** Filters from URL parameters (unknown values are dropped, never trusted). */
export function parseMessageFilters(
  params: Record<string, string | undefined>,
): Omit<MessageFilters, "since" | "until"> {
  return {
    q: clean(params.q),
    sender: clean(params.sender),
    recipient: clean(params.recipient),
    sasl: clean(params.sasl),
    dspamUser: clean(params.dspam),
    verdict: pick(VERDICT_FILTERS, params.verdict),
    origin: pick(ORIGINS, params.origin),
    finding: pick(FINDING_KINDS, params.finding),
  };
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
