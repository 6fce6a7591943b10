import { ftsMatch, type SqlDialect, wordCandidates } from "./dialect.ts";
import type { MessageSort } from "./message-params.ts";

// The building blocks of the message search's SQL (lib/queries/message-filters.ts puts them
// together): sets of journeys found through an index — SearchTerm and the full-text JourneyText
// (migration search_terms says what they hold and keeps them), JourneyQueue, Verdict.

/** A piece of SQL and its parameters. */
export type Clause = { sql: string; params: unknown[] };

/**
 * A filter on a set of journeys found through another table: as `id IN (candidates)` it drives the
 * query from that table's index, as `EXISTS (…)` it is probed while walking Journey newest first.
 * The first is fast for few candidates, the second for many (a page fills after a few hundred
 * probes instead of sorting thousands of rows).
 */
export type SetFilter = {
  candidates: Clause;
  asIn: Clause;
  asExists: Clause;
  /**
   * One row per journey of the set, none repeated: counted as it is, where the candidates (which
   * may repeat an id) are counted distinct. A UNION of sets is distinct already; a finding's
   * evidence names journeys by key, so its journeys are counted as keys, without a lookup of
   * each one's id.
   */
  perJourney?: Clause;
};

const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/** A set filter from one SELECT of journey ids and the same condition probed per journey. */
export function setOf(candidates: Clause, exists: Clause): SetFilter {
  return {
    candidates,
    asIn: { sql: `j.id IN (${candidates.sql})`, params: candidates.params },
    asExists: exists,
  };
}

/**
 * Journeys with any of these SearchTerm words: `[field, term]` pairs. One SELECT per pair (UNION
 * ALL: the users of a candidate list dedupe): each reads only the primary key (field, term,
 * journeyId), where an OR of the pairs made PostgreSQL visit the table's rows for every id.
 * Probed per journey, SQLite looks each journey up in the key; PostgreSQL plans any such probe as
 * one set of ids hashed before the walk, so there it is that same cheapest set.
 */
export function terms(pairs: readonly (readonly [string, string])[], dialect: SqlDialect): SetFilter {
  const params: string[] = pairs.flat();
  const candidates = {
    sql: pairs
      .map(() => 'SELECT "journeyId" FROM "SearchTerm" WHERE "field" = ? AND term = ?')
      .join(" UNION ALL "),
    params,
  };
  return setOf(
    candidates,
    dialect === "postgresql"
      ? { sql: `j.id IN (${candidates.sql})`, params }
      : {
          sql: `EXISTS (SELECT 1 FROM "SearchTerm" t WHERE (${pairs.map(() => '(t.field = ? AND t.term = ? AND t."journeyId" = j.id)').join(" OR ")}))`,
          params,
        },
  );
}

/** Journeys that touched a mail server (JourneyHost: its queues' hosts and the host Dovecot stored it on). */
export function onHost(host: string): SetFilter {
  return setOf(
    { sql: 'SELECT "journeyId" FROM "JourneyHost" WHERE host = ?', params: [host] },
    {
      sql: 'EXISTS (SELECT 1 FROM "JourneyHost" h WHERE h."journeyId" = j.id AND h.host = ?)',
      params: [host],
    },
  );
}

/** A domain as the search reads it: `@example.com` or `example.com` (a dot, no `@`, not an address or IP). */
export function asDomain(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (v.startsWith("@") && v.length > 1 && !v.slice(1).includes("@")) return v.slice(1);
  if (!v.includes("@") && /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(v) && !/^[\d.]+$/.test(v)) return v;
  return null;
}

/** SearchTerm pairs for an address or domain in `field` (rcpt or from). */
export function addressTerms(field: "rcpt" | "from", value: string): [string, string][] {
  const domain = asDomain(value);
  return domain ? [[`${field}-domain`, domain]] : [[field, value.trim().toLowerCase()]];
}

/** The words of a search for text: split at white space, each holding a letter or digit. */
export function searchWords(text: string): string[] {
  return text
    .replace(/^<(.*)>$/, "$1")
    .split(/\s+/)
    .filter((w) => /[\p{L}\p{N}]/u.test(w));
}

/** SQLite's FTS5 query for the words of a text (see lib/queries/dialect.ts ftsMatch). */
export function ftsQuery(text: string, column?: "messageId" | "subject"): string | null {
  const words = searchWords(text);
  return words.length ? ftsMatch(words, column) : null;
}

/** Journeys whose Message-ID or subject (or only `column`) holds all the words. */
export function fullText(
  words: readonly string[],
  dialect: SqlDialect,
  column?: "messageId" | "subject",
): SetFilter {
  const { sql, params, perJourney } = wordCandidates(dialect, words, column);
  return setOf({ sql, params }, perJourney);
}

/** Queue ids are upper-case hex (long ids are case-sensitive): as typed and upper-cased. */
const queueSpellings = (value: string) => [...new Set([value.trim(), value.trim().toUpperCase()])];
/** Logins and DSPAM users as typed and lower-cased (their indexes are case-sensitive). */
const spellings = (value: string) => [...new Set([value.trim(), value.trim().toLowerCase()])];

export function queues(value: string): SetFilter {
  const s = queueSpellings(value);
  return setOf(
    { sql: `SELECT "journeyId" FROM "JourneyQueue" WHERE "queueId" IN (${marks(s)})`, params: s },
    {
      sql: `EXISTS (SELECT 1 FROM "JourneyQueue" q WHERE q."journeyId" = j.id AND q."queueId" IN (${marks(s)}))`,
      params: s,
    },
  );
}

export function dspamUsers(value: string): SetFilter {
  const s = spellings(value);
  return setOf(
    {
      sql: `SELECT "journeyId" FROM "Verdict" WHERE "filterUser" IN (${marks(s)}) AND "journeyId" IS NOT NULL`,
      params: s,
    },
    {
      sql: `EXISTS (SELECT 1 FROM "Verdict" v WHERE v."journeyId" = j.id AND v."filterUser" IN (${marks(s)}))`,
      params: s,
    },
  );
}

/** The free search box: every way the value may name a message, any of them. */
export function anything(value: string, dialect: SqlDialect): SetFilter[] {
  const bare = value.trim().replace(/^<(.*)>$/, "$1");
  const lower = bare.toLowerCase();
  const domain = asDomain(bare);
  const parts: SetFilter[] = [
    setOf(
      { sql: 'SELECT id FROM "Journey" WHERE "messageId" = ?', params: [bare] },
      { sql: 'j."messageId" = ?', params: [bare] },
    ),
    queues(bare),
    terms(
      [
        ["rcpt", lower],
        ["from", lower],
        ["client", lower],
        ...(domain
          ? ([
              ["rcpt-domain", domain],
              ["from-domain", domain],
            ] as [string, string][])
          : []),
      ],
      dialect,
    ),
    setOf(
      {
        sql: `SELECT id FROM "Journey" WHERE "saslUsername" IN (${marks(spellings(bare))})`,
        params: spellings(bare),
      },
      { sql: `j."saslUsername" IN (${marks(spellings(bare))})`, params: spellings(bare) },
    ),
    dspamUsers(bare),
  ];
  const words = searchWords(bare);
  if (words.length && !bare.includes("@")) parts.push(fullText(words, dialect));
  return parts;
}

/**
 * Several set filters as one that holds when any of them does. Every part selects journey ids, so
 * the candidates are one UNION, driven as one IN list (an OR of IN lists would walk all of Journey).
 */
export function anyOf(parts: SetFilter[]): SetFilter {
  const candidates = {
    sql: parts.map((s) => s.candidates.sql).join(" UNION "),
    params: parts.flatMap((s) => s.candidates.params),
  };
  return {
    candidates,
    asIn: { sql: `j.id IN (${candidates.sql})`, params: candidates.params },
    asExists: {
      sql: `(${parts.map((s) => s.asExists.sql).join(" OR ")})`,
      params: parts.flatMap((s) => s.asExists.params),
    },
    perJourney: candidates,
  };
}

/** No journey at all (a search for words with nothing searchable in them). */
export function nothing(): SetFilter {
  return setOf({ sql: "SELECT 0 WHERE 1 = 0", params: [] }, { sql: "1 = 0", params: [] });
}

/** ORDER BY of a sort; ties broken by time, newest first, then id. */
export function orderBy(sort: MessageSort): string {
  switch (sort) {
    case "newest":
      return 'j."firstTs" DESC, j.id DESC';
    case "oldest":
      return 'j."firstTs" ASC, j.id ASC';
    case "sender":
      return 'lower(j.sender) ASC, j."firstTs" DESC, j.id DESC';
    case "recipient":
      return 'j."recipientSort" ASC, j."firstTs" DESC, j.id DESC';
  }
}
