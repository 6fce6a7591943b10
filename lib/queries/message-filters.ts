// Which messages a search, a counter or a link means: one definition, turned into SQL once. Every
// number shown as "N messages" is counted with the same predicate its list is read with.

import { ORIGINS, type Origin } from "../core/journey.ts";
import { FINDING_KINDS, type FindingKind } from "../detect/types.ts";
import type { SqlDialect } from "./dialect.ts";
import {
  addressTerms,
  anyOf,
  anything,
  fullText,
  nothing,
  onHost,
  queues,
  searchWords,
  setOf,
  terms,
} from "./message-search-sql.ts";

export const VERDICT_FILTERS = ["spam", "innocent", "none", "judged"] as const;
export type VerdictFilter = (typeof VERDICT_FILTERS)[number];

/**
 * Where a message stands in the pipeline, and what happened to it: delivered (a copy delivered),
 * deferred (a delivery deferred), bounced (a copy refused, or the message expired), queued (a
 * queue file still open) and in-progress (still followed: see lib/queries/progress.ts).
 */
export const MESSAGE_STATES = [
  "filtered",
  "bypassed",
  "waited-for-filter",
  "delivered",
  "deferred",
  "bounced",
  "queued",
  "in-progress",
] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** What the message search understands; every field is optional and they combine with AND. */
export type MessageFilters = {
  /** Anything the admin remembers: Message-ID (or part), queue id, address, domain, client, login, DSPAM user, a word of the subject. */
  q?: string;
  /** The sender's address, or a domain (`@example.com`, `example.com`); case-insensitive. */
  sender?: string;
  /** A recipient as the sender wrote it (an alias: orig_to) or as delivered, or a domain; case-insensitive. */
  recipient?: string;
  /** The client's IP address or host name. */
  client?: string;
  /** Any of its Postfix queue ids (case-insensitive). */
  queueId?: string;
  /** A whole Message-ID or a part of it (one of its words). */
  messageId?: string;
  /** Words of the subject (where logged) or of the Message-ID. */
  text?: string;
  /** Delivered into this mailbox (a sent delivery to it). */
  mailbox?: string;
  sasl?: string;
  /** Classified by this DSPAM user; with `verdict` spam/innocent, classified so by this user. */
  dspamUser?: string;
  verdict?: VerdictFilter;
  origin?: Origin;
  /** Evidence of any of these kinds of finding. */
  findings?: FindingKind[];
  /** Evidence of this one finding (its journeys, and the journeys its retrainings were about). */
  findingId?: number;
  /** Evidence of any of these findings (for counts; a URL names one finding). */
  findingIds?: number[];
  state?: MessageState;
  /** Touched this mail server (its syslog host name). */
  host?: string;
  /** First line at or after. */
  since?: Date;
  /** First line before. */
  until?: Date;
};

export type { Clause, SetFilter } from "./message-search-sql.ts";

import { HAM_RESULTS, SPAM_RESULTS, sqlList } from "../filters/results.ts";
import type { Clause, SetFilter } from "./message-search-sql.ts";

const SPAM_CLASSES = sqlList(SPAM_RESULTS);
const INNOCENT_CLASSES = sqlList(HAM_RESULTS);
// Addresses are matched as typed and lower-cased, so an index lookup still finds them.
const spellings = (value: string) => [...new Set([value, value.toLowerCase()])];
const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/** What a filter's SQL may use that was read from the database first (lib/queries/messages.ts). */
export type ResolvedFilters = {
  /** The ids of every finding of the kinds of `findings`. */
  kindFindingIds?: readonly number[];
};

/** The filters that select journeys through other tables (deliveries, verdicts, evidence). */
export function setFilters(
  filters: MessageFilters,
  dialect: SqlDialect = "sqlite",
  resolved: ResolvedFilters = {},
): SetFilter[] {
  const out: SetFilter[] = [];
  if (filters.host) out.push(onHost(filters.host));
  if (filters.recipient) out.push(terms(addressTerms("rcpt", filters.recipient), dialect));
  if (filters.sender) out.push(terms(addressTerms("from", filters.sender), dialect));
  if (filters.client) out.push(terms([["client", filters.client.trim().toLowerCase()]], dialect));
  if (filters.queueId) out.push(queues(filters.queueId));
  if (filters.messageId) {
    const bare = filters.messageId.trim().replace(/^<(.*)>$/, "$1");
    const words = searchWords(bare);
    const exact = setOf(
      { sql: 'SELECT id FROM "Journey" WHERE "messageId" = ?', params: [bare] },
      { sql: 'j."messageId" = ?', params: [bare] },
    );
    out.push(words.length ? anyOf([exact, fullText(words, dialect, "messageId")]) : exact);
  }
  if (filters.text) {
    const words = searchWords(filters.text);
    // Nothing searchable in it (punctuation only): no message has those words.
    out.push(words.length ? fullText(words, dialect) : nothing());
  }
  // What happened to it: words the migration search_terms' triggers keep in SearchTerm, each
  // exactly when Journey.complete = 0 / Journey.inProgress = 1 / a delivery says so.
  if (filters.state === "deferred" || filters.state === "bounced" || filters.state === "queued")
    out.push(terms([["status", filters.state]], dialect));
  if (filters.state === "in-progress") out.push(terms([["status", "in-progress"]], dialect));
  if (filters.mailbox) {
    const s = spellings(filters.mailbox);
    const where = `recipient IN (${marks(s)}) AND destination = 'mailbox' AND status = 'sent'`;
    out.push(
      setOf(
        { sql: `SELECT "journeyId" FROM "Delivery" WHERE ${where}`, params: s },
        {
          sql: `EXISTS (SELECT 1 FROM "Delivery" WHERE "journeyId" = j.id AND ${where})`,
          params: s,
        },
      ),
    );
  }
  if (filters.dspamUser) {
    const s = spellings(filters.dspamUser);
    const classes =
      filters.verdict === "spam" ? SPAM_CLASSES : filters.verdict === "innocent" ? INNOCENT_CLASSES : null;
    const where = `"filterUser" IN (${marks(s)})${classes ? ` AND "result" IN (${classes})` : ""}`;
    out.push(
      setOf(
        { sql: `SELECT "journeyId" FROM "Verdict" WHERE ${where} AND "journeyId" IS NOT NULL`, params: s },
        { sql: `EXISTS (SELECT 1 FROM "Verdict" WHERE "journeyId" = j.id AND ${where})`, params: s },
      ),
    );
  }
  // A finding's evidence names journeys by key and retrainings by key; a retraining leads to the
  // journey of the message it retrained. Probed per journey, the retrainings' journeys are one list
  // computed once (Training is small and has no journeyId index: a correlated probe read all of a
  // finding's evidence for every journey walked). UNION ALL: a candidate list may repeat an id (its
  // users dedupe), joined rather than `IN (refs)`: the size probe stops early instead of first
  // sorting every ref and id.
  // Counted, the journeys are their keys: whether a key exists is read from Journey's key index
  // alone, where its id costs a visit to each journey's row (tens of thousands for a big finding).
  const byEvidence = (refs: Clause, exists: Clause): SetFilter => ({
    ...setOf(
      {
        sql: `SELECT ej.id FROM (${refs.sql}) er JOIN "Journey" ej ON ej.key = er.ref
          UNION ALL SELECT et."journeyId" FROM (${refs.sql}) er JOIN "Training" et ON et.key = er.ref WHERE et."journeyId" IS NOT NULL`,
        params: [...refs.params, ...refs.params],
      },
      exists,
    ),
    perJourney: {
      sql: `SELECT er.ref FROM (${refs.sql}) er WHERE EXISTS (SELECT 1 FROM "Journey" ek WHERE ek.key = er.ref)
        UNION SELECT tj.key FROM (${refs.sql}) er JOIN "Training" et ON et.key = er.ref JOIN "Journey" tj ON tj.id = et."journeyId"`,
      params: [...refs.params, ...refs.params],
    },
  });
  // Evidence of findings given by id: one finding's page, a count per finding, and kinds whose
  // findings the caller read first (resolved.kindFindingIds: PostgreSQL then plans from the
  // evidence's statistics per finding, where a join with Finding by kind made it expect a few
  // hundred rows of a finding with tens of thousands, and probe them one by one).
  const ofFindings = (ids: readonly number[]): SetFilter => {
    const list = ids.length ? [...ids] : [0];
    const m = marks(list);
    return byEvidence(
      { sql: `SELECT ref FROM "FindingEvidence" WHERE "findingId" IN (${m})`, params: list },
      {
        sql: `(EXISTS (SELECT 1 FROM "FindingEvidence" WHERE "findingId" IN (${m}) AND ref = j.key)
           OR j.id IN (SELECT t."journeyId" FROM "Training" t JOIN "FindingEvidence" e ON e.ref = t.key WHERE e."findingId" IN (${m})))`,
        params: [...list, ...list],
      },
    );
  };
  if (filters.findings?.length && resolved.kindFindingIds) out.push(ofFindings(resolved.kindFindingIds));
  else if (filters.findings?.length) {
    const kinds = filters.findings;
    // Every JOIN with its ON: PostgreSQL has no JOIN without one (SQLite reads it as a cross join).
    const ofKinds = `JOIN "Finding" f ON f.id = e."findingId" WHERE f.kind IN (${marks(kinds)})`;
    out.push(
      byEvidence(
        { sql: `SELECT e.ref FROM "FindingEvidence" e ${ofKinds}`, params: kinds },
        {
          sql: `(EXISTS (SELECT 1 FROM "FindingEvidence" e ${ofKinds} AND e.ref = j.key)
             OR j.id IN (SELECT t."journeyId" FROM "Training" t JOIN "FindingEvidence" e ON e.ref = t.key ${ofKinds}))`,
          params: [...kinds, ...kinds],
        },
      ),
    );
  }
  if (filters.findingId !== undefined || filters.findingIds)
    out.push(
      ofFindings([
        ...(filters.findingId !== undefined ? [filters.findingId] : []),
        ...(filters.findingIds ?? []),
      ]),
    );
  if (filters.state === "waited-for-filter") {
    const where = "destination = 'filter' AND status <> 'sent'";
    out.push(
      setOf(
        { sql: `SELECT "journeyId" FROM "Delivery" WHERE ${where}`, params: [] },
        {
          sql: `EXISTS (SELECT 1 FROM "Delivery" WHERE "journeyId" = j.id AND ${where})`,
          params: [],
        },
      ),
    );
  }
  if (filters.q) out.push(anyOf(anything(filters.q, dialect)));
  return out;
}

/** The conditions on Journey's own columns (time range, origin, verdict, state, …). */
export function columnClauses(filters: MessageFilters): Clause[] {
  const clauses: Clause[] = [];
  const add = (sql: string, ...params: unknown[]) => clauses.push({ sql, params });
  if (filters.since) add('j."firstTs" >= ?', filters.since);
  if (filters.until) add('j."firstTs" < ?', filters.until);
  if (filters.origin) add("j.origin = ?", filters.origin);
  // With a DSPAM user, spam/innocent is that user's verdict (see setFilters).
  const userVerdict = filters.dspamUser && (filters.verdict === "spam" || filters.verdict === "innocent");
  if (filters.verdict === "none") add("j.verdict IS NULL");
  else if (filters.verdict === "judged") add("j.verdict IS NOT NULL");
  else if (filters.verdict && !userVerdict) add("j.verdict = ?", filters.verdict);
  if (filters.state === "filtered") add("j.filtered = TRUE");
  else if (filters.state === "bypassed")
    add("j.origin = 'inbound' AND j.filtered = FALSE AND j.delivered > 0");
  else if (filters.state === "delivered") add("j.delivered > 0");
  if (filters.sasl) {
    const s = spellings(filters.sasl);
    add(`j."saslUsername" IN (${marks(s)})`, ...s);
  }
  return clauses;
}

/**
 * Rows of one mail server, as ` AND …` after a WHERE (nothing without a host): `journeyColumn`
 * names a journey id (Journey.id, Delivery/Verdict.journeyId), `hostColumn` a host of its own
 * (Training.host).
 */
export function andOnHost(
  host: string | undefined,
  column: { journeyColumn: string } | { hostColumn: string },
): Clause {
  if (!host) return { sql: "", params: [] };
  if ("hostColumn" in column) return { sql: ` AND ${column.hostColumn} = ?`, params: [host] };
  return {
    sql: ` AND ${column.journeyColumn} IN (SELECT "journeyId" FROM "JourneyHost" WHERE host = ?)`,
    params: [host],
  };
}

/**
 * Evidence `e` on one server, as ` AND …` (nothing without a host). Evidence about a DSPAM user's
 * directory or an error line names no server: it is counted only without a host filter.
 */
export function evidenceOnHost(host: string | undefined): Clause {
  if (!host) return { sql: "", params: [] };
  return {
    sql: ` AND (e."journeyKey" IN (SELECT jj.key FROM "Journey" jj JOIN "JourneyHost" h ON h."journeyId" = jj.id WHERE h.host = ?)
      OR e.ref IN (SELECT tt.key FROM "Training" tt WHERE tt.host = ?))`,
    params: [host, host],
  };
}

/** Clauses joined with AND ("1 = 1" for none). */
export function allOf(clauses: readonly Clause[]): Clause {
  return {
    sql: clauses.length ? clauses.map((c) => `(${c.sql})`).join(" AND ") : "1 = 1",
    params: clauses.flatMap((c) => c.params),
  };
}

/** The whole predicate of a filter on `Journey j`: the same journeys whichever way it is run. */
export function messagePredicate(
  filters: MessageFilters,
  dialect: SqlDialect = "sqlite",
  resolved: ResolvedFilters = {},
): Clause {
  return allOf([...columnClauses(filters), ...setFilters(filters, dialect, resolved).map((f) => f.asIn)]);
}

const pick = <T extends string>(allowed: readonly T[], value: string | undefined) =>
  allowed.includes(value as T) ? (value as T) : undefined;
const clean = (value: string | undefined) => {
  const trimmed = value?.trim();
  return trimmed ? trimmed.slice(0, 998) : undefined;
};

/** Filters from URL parameters (unknown values are dropped, never trusted); `finding` is kinds (comma-separated) or a finding's id. */
export function parseMessageFilters(
  params: Record<string, string | undefined>,
): Omit<MessageFilters, "since" | "until"> {
  const finding = clean(params.finding);
  const id = finding && /^\d{1,9}$/.test(finding) ? Number(finding) : undefined;
  const kinds =
    id === undefined
      ? (finding ?? "").split(",").filter((k) => FINDING_KINDS.includes(k as FindingKind))
      : [];
  return {
    q: clean(params.q),
    sender: clean(params.sender),
    recipient: clean(params.recipient),
    client: clean(params.client),
    queueId: clean(params.queue),
    messageId: clean(params.msgid),
    text: clean(params.text),
    mailbox: clean(params.mailbox),
    sasl: clean(params.sasl),
    dspamUser: clean(params.dspam),
    verdict: pick(VERDICT_FILTERS, params.verdict),
    origin: pick(ORIGINS, params.origin),
    findings: kinds.length ? (kinds as FindingKind[]) : undefined,
    findingId: id,
    state: pick(MESSAGE_STATES, params.state),
    host: hostParam(params.host),
  };
}

/** A `host` parameter: a syslog host name (letters, digits, dots, dashes, underscores), else none. */
export function hostParam(value: string | undefined): string | undefined {
  const host = value?.trim();
  return host && /^[A-Za-z0-9._-]{1,253}$/.test(host) ? host : undefined;
}

/** The URL parameters of a filter (the inverse of parseMessageFilters, without the time range). */
export function messageQuery(filters: Omit<MessageFilters, "since" | "until">): Record<string, string> {
  const query: Record<string, string | undefined> = {
    q: filters.q,
    sender: filters.sender,
    recipient: filters.recipient,
    client: filters.client,
    queue: filters.queueId,
    msgid: filters.messageId,
    text: filters.text,
    mailbox: filters.mailbox,
    sasl: filters.sasl,
    dspam: filters.dspamUser,
    verdict: filters.verdict,
    origin: filters.origin,
    finding: filters.findingId !== undefined ? String(filters.findingId) : filters.findings?.join(","),
    state: filters.state,
    host: filters.host,
  };
  return Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
}
