// Which messages a search, a counter or a link means: one definition, turned into SQL once. Every
// number shown as "N messages" is counted with the same predicate its list is read with.

import { ORIGINS, type Origin } from "../core/journey.ts";
import { FINDING_KINDS, type FindingKind } from "../detect/types.ts";

export const VERDICT_FILTERS = ["spam", "innocent", "none", "judged"] as const;
export type VerdictFilter = (typeof VERDICT_FILTERS)[number];

/** Where a message stands in the pipeline. */
export const MESSAGE_STATES = ["filtered", "bypassed", "waited-for-filter", "queued", "in-progress"] as const;
export type MessageState = (typeof MESSAGE_STATES)[number];

/** What the message search understands; every field is optional and they combine with AND. */
export type MessageFilters = {
  /** Message-ID, queue id, address, SASL login or DSPAM user: exact, any of them. */
  q?: string;
  sender?: string;
  recipient?: string;
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
  /** First line at or after. */
  since?: Date;
  /** First line before. */
  until?: Date;
};

export type Clause = { sql: string; params: unknown[] };

/**
 * A filter on journeys found through another table: as `id IN (candidates)` it drives the query
 * from that table's index, as `EXISTS (…)` it is probed while walking Journey newest first. The
 * two select the same journeys; the first is fast for few candidates, the second for many.
 */
export type SetFilter = { candidates: Clause; asIn: Clause; asExists: Clause };

const SPAM_CLASSES = "'spam', 'virus', 'blacklisted', 'blocklisted'";
const INNOCENT_CLASSES = "'innocent', 'whitelisted'";
// Addresses are matched as typed and lower-cased, so an index lookup still finds them.
const spellings = (value: string) => [...new Set([value, value.toLowerCase()])];
const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");

function setFilter(candidates: Clause, column: "j.id", exists: Clause): SetFilter {
  return {
    candidates,
    asIn: { sql: `${column} IN (${candidates.sql})`, params: candidates.params },
    asExists: exists,
  };
}

/** The filters that select journeys through other tables (deliveries, verdicts, evidence). */
export function setFilters(filters: MessageFilters): SetFilter[] {
  const out: SetFilter[] = [];
  if (filters.recipient) {
    const s = spellings(filters.recipient);
    out.push(
      setFilter(
        { sql: `SELECT journeyId FROM Delivery WHERE recipient IN (${marks(s)})`, params: s },
        "j.id",
        {
          sql: `EXISTS (SELECT 1 FROM Delivery d WHERE d.journeyId = j.id AND d.recipient IN (${marks(s)}))`,
          params: s,
        },
      ),
    );
  }
  if (filters.mailbox) {
    const s = spellings(filters.mailbox);
    const where = `recipient IN (${marks(s)}) AND destination = 'mailbox' AND status = 'sent'`;
    out.push(
      setFilter({ sql: `SELECT journeyId FROM Delivery WHERE ${where}`, params: s }, "j.id", {
        sql: `EXISTS (SELECT 1 FROM Delivery WHERE journeyId = j.id AND ${where})`,
        params: s,
      }),
    );
  }
  if (filters.dspamUser) {
    const s = spellings(filters.dspamUser);
    const classes =
      filters.verdict === "spam" ? SPAM_CLASSES : filters.verdict === "innocent" ? INNOCENT_CLASSES : null;
    const where = `dspamUser IN (${marks(s)})${classes ? ` AND className IN (${classes})` : ""}`;
    out.push(
      setFilter(
        { sql: `SELECT journeyId FROM Verdict WHERE ${where} AND journeyId IS NOT NULL`, params: s },
        "j.id",
        { sql: `EXISTS (SELECT 1 FROM Verdict WHERE journeyId = j.id AND ${where})`, params: s },
      ),
    );
  }
  // A finding's evidence names journeys by key and retrainings by key; a retraining leads to the
  // journey of the message it retrained.
  const byEvidence = (refs: Clause, exists: Clause): SetFilter =>
    setFilter(
      {
        sql: `SELECT id FROM Journey WHERE key IN (${refs.sql})
          UNION SELECT journeyId FROM Training WHERE key IN (${refs.sql}) AND journeyId IS NOT NULL`,
        params: [...refs.params, ...refs.params],
      },
      "j.id",
      exists,
    );
  if (filters.findings?.length) {
    const kinds = filters.findings;
    const evidence = `FindingEvidence e JOIN Finding f ON f.id = e.findingId WHERE f.kind IN (${marks(kinds)})`;
    out.push(
      byEvidence(
        { sql: `SELECT e.ref FROM ${evidence}`, params: kinds },
        {
          sql: `(EXISTS (SELECT 1 FROM ${evidence} AND e.ref = j.key)
             OR EXISTS (SELECT 1 FROM Training t JOIN ${evidence} AND e.ref = t.key AND t.journeyId = j.id))`,
          params: [...kinds, ...kinds],
        },
      ),
    );
  }
  const ids = [
    ...(filters.findingId !== undefined ? [filters.findingId] : []),
    ...(filters.findingIds ?? []),
  ];
  if (filters.findingId !== undefined || filters.findingIds) {
    const m = marks(ids.length ? ids : [0]);
    const params = ids.length ? ids : [0];
    out.push(
      byEvidence(
        { sql: `SELECT ref FROM FindingEvidence WHERE findingId IN (${m})`, params },
        {
          sql: `(EXISTS (SELECT 1 FROM FindingEvidence WHERE findingId IN (${m}) AND ref = j.key)
             OR EXISTS (SELECT 1 FROM Training t JOIN FindingEvidence e ON e.ref = t.key WHERE e.findingId IN (${m}) AND t.journeyId = j.id))`,
          params: [...params, ...params],
        },
      ),
    );
  }
  if (filters.state === "waited-for-filter") {
    const where = "destination = 'filter' AND status <> 'sent'";
    out.push(
      setFilter({ sql: `SELECT journeyId FROM Delivery WHERE ${where}`, params: [] }, "j.id", {
        sql: `EXISTS (SELECT 1 FROM Delivery WHERE journeyId = j.id AND ${where})`,
        params: [],
      }),
    );
  }
  if (filters.q) {
    const bare = filters.q.replace(/^<(.*)>$/, "$1");
    const s = spellings(bare);
    const m = marks(s);
    out.push(
      setFilter(
        {
          sql: `SELECT id FROM Journey WHERE messageId = ?
           UNION SELECT journeyId FROM JourneyQueue WHERE queueId = ?
           UNION SELECT id FROM Journey WHERE sender IN (${m})
           UNION SELECT id FROM Journey WHERE saslUsername IN (${m})
           UNION SELECT journeyId FROM Delivery WHERE recipient IN (${m})
           UNION SELECT journeyId FROM Verdict WHERE dspamUser IN (${m}) AND journeyId IS NOT NULL`,
          params: [bare, bare, ...s, ...s, ...s, ...s],
        },
        "j.id",
        {
          sql: `(j.messageId = ? OR j.sender IN (${m}) OR j.saslUsername IN (${m})
             OR EXISTS (SELECT 1 FROM JourneyQueue q WHERE q.journeyId = j.id AND q.queueId = ?)
             OR EXISTS (SELECT 1 FROM Delivery d WHERE d.journeyId = j.id AND d.recipient IN (${m}))
             OR EXISTS (SELECT 1 FROM Verdict v WHERE v.journeyId = j.id AND v.dspamUser IN (${m})))`,
          params: [bare, ...s, ...s, bare, ...s, ...s],
        },
      ),
    );
  }
  return out;
}

/** The conditions on Journey's own columns (time range, origin, verdict, state, …). */
export function columnClauses(filters: MessageFilters): Clause[] {
  const clauses: Clause[] = [];
  const add = (sql: string, ...params: unknown[]) => clauses.push({ sql, params });
  if (filters.since) add("j.firstTs >= ?", filters.since.getTime());
  if (filters.until) add("j.firstTs < ?", filters.until.getTime());
  if (filters.origin) add("j.origin = ?", filters.origin);
  // With a DSPAM user, spam/innocent is that user's verdict (see setFilters).
  const userVerdict = filters.dspamUser && (filters.verdict === "spam" || filters.verdict === "innocent");
  if (filters.verdict === "none") add("j.verdict IS NULL");
  else if (filters.verdict === "judged") add("j.verdict IS NOT NULL");
  else if (filters.verdict && !userVerdict) add("j.verdict = ?", filters.verdict);
  if (filters.state === "filtered") add("j.filtered = 1");
  else if (filters.state === "bypassed") add("j.origin = 'inbound' AND j.filtered = 0 AND j.delivered > 0");
  else if (filters.state === "queued") add("j.complete = 0");
  else if (filters.state === "in-progress") add("j.inProgress = 1");
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

/** Clauses joined with AND ("1" for none). */
export function allOf(clauses: readonly Clause[]): Clause {
  return {
    sql: clauses.length ? clauses.map((c) => `(${c.sql})`).join(" AND ") : "1",
    params: clauses.flatMap((c) => c.params),
  };
}

/** The whole predicate of a filter on `Journey j`: the same journeys whichever way it is run. */
export function messagePredicate(filters: MessageFilters): Clause {
  return allOf([...columnClauses(filters), ...setFilters(filters).map((f) => f.asIn)]);
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
    mailbox: clean(params.mailbox),
    sasl: clean(params.sasl),
    dspamUser: clean(params.dspam),
    verdict: pick(VERDICT_FILTERS, params.verdict),
    origin: pick(ORIGINS, params.origin),
    findings: kinds.length ? (kinds as FindingKind[]) : undefined,
    findingId: id,
    state: pick(MESSAGE_STATES, params.state),
  };
}

/** The URL parameters of a filter (the inverse of parseMessageFilters, without the time range). */
export function messageQuery(filters: Omit<MessageFilters, "since" | "until">): Record<string, string> {
  const query: Record<string, string | undefined> = {
    q: filters.q,
    sender: filters.sender,
    recipient: filters.recipient,
    mailbox: filters.mailbox,
    sasl: filters.sasl,
    dspam: filters.dspamUser,
    verdict: filters.verdict,
    origin: filters.origin,
    finding: filters.findingId !== undefined ? String(filters.findingId) : filters.findings?.join(","),
    state: filters.state,
  };
  return Object.fromEntries(Object.entries(query).filter((e): e is [string, string] => !!e[1]));
}
