// The one place that knows how Spamtrail's raw SQL differs between SQLite and PostgreSQL. Queries
// are written once, for both: identifiers double-quoted ("Journey"."firstTs": PostgreSQL folds
// unquoted names to lower case, SQLite accepts the quotes), `?` placeholders, counts as
// sum(CASE … THEN 1 ELSE 0 END) rather than sums of comparisons; what still differs goes
// through the functions below.
import type { PrismaClient } from "../../generated/prisma/client.ts";

export type SqlDialect = "sqlite" | "postgresql";

// On the client itself, under a registered symbol: the clients are shared through globalThis
// (lib/db/prisma.ts), and Next bundles this module more than once (instrumentation, routes), so a
// module-level map would not know a client another copy made.
const DIALECT = Symbol.for("spamtrail.sqlDialect");

/** Called where clients are made (lib/db/prisma.ts): a client on PostgreSQL says so. */
export function markDialect(client: object, dialect: SqlDialect): void {
  Object.defineProperty(client, DIALECT, { value: dialect });
}

export function dialectOf(prisma: PrismaClient): SqlDialect {
  return (prisma as unknown as Record<symbol, SqlDialect | undefined>)[DIALECT] ?? "sqlite";
}

/** The statement for the client's database: PostgreSQL numbers its placeholders ($1, $2…). */
export function forDialect(dialect: SqlDialect, sql: string): string {
  if (dialect === "sqlite") return sql;
  let n = 0;
  // A ? inside a quoted literal or identifier is text, not a placeholder.
  return sql.replace(/'(?:[^']|'')*'|"[^"]*"|\?/g, (match) => (match === "?" ? `$${++n}` : match));
}

/**
 * A DateTime bound as the column holds it: epoch milliseconds on SQLite (the adapter's
 * unixepoch-ms), a timestamp on PostgreSQL. Open ends are the widest times both accept.
 */
export function timeParam(dialect: SqlDialect, ms: number): number | Date {
  if (dialect === "sqlite") return ms;
  return new Date(Math.min(Math.max(ms, -62_135_596_800_000), 253_402_300_799_999));
}

/** The latest time a Date holds: an open range's end. */
export const END_OF_TIME = new Date(8.64e15);

/** Runs a raw read on either database, with `?` placeholders and Dates for times; PostgreSQL's bigint counts arrive as numbers. */
export async function readRows<Row extends Record<string, unknown>>(
  prisma: PrismaClient,
  sql: string,
  ...params: unknown[]
): Promise<Row[]> {
  const dialect = dialectOf(prisma);
  // Times are bound as Dates and become what the column holds (timeParam).
  const bound = params.map((param) => (param instanceof Date ? timeParam(dialect, param.getTime()) : param));
  const rows = (await prisma.$queryRawUnsafe(forDialect(dialect, sql), ...bound)) as Row[];
  if (dialect === "sqlite") return rows;
  return rows.map(
    (row) =>
      Object.fromEntries(
        Object.entries(row).map(([key, value]) => [key, typeof value === "bigint" ? Number(value) : value]),
      ) as Row,
  );
}

/**
 * The elements of a JSON array, bound as one `?`, as a table `alias` with one column `value`:
 * SQLite's json_each, PostgreSQL's jsonb_array_elements_text (text there: CAST what you compare).
 */
export function jsonArrayTable(dialect: SqlDialect, alias: string): string {
  return dialect === "sqlite"
    ? `json_each(?) ${alias}`
    : `jsonb_array_elements_text(CAST(? AS jsonb)) AS ${alias}(value)`;
}

/** The elements of a JSON array column (TEXT holding an array) of `table`, as `alias`.value. */
export function jsonColumnTable(dialect: SqlDialect, column: string, alias: string): string {
  return dialect === "sqlite"
    ? `json_each(${column}) ${alias}`
    : `jsonb_array_elements_text(CAST(${column} AS jsonb)) AS ${alias}(value)`;
}

/** Whole `seconds`-long slots since the epoch of a DateTime column (integer). */
export function epochSlot(dialect: SqlDialect, column: string, seconds: number): string {
  return dialect === "sqlite"
    ? `${column} / ${seconds * 1000}`
    : `CAST(floor(extract(epoch FROM ${column}) / ${seconds}) AS bigint)`;
}

/** Epoch milliseconds of a DateTime column: what SQLite stores, computed on PostgreSQL. */
export function epochMs(dialect: SqlDialect, column: string): string {
  return dialect === "sqlite" ? column : `CAST(floor(extract(epoch FROM ${column}) * 1000) AS bigint)`;
}

export type LocalBucket = "day" | "hour" | "minute";
const STRFTIME: Record<LocalBucket, string> = {
  day: "%Y-%m-%d",
  hour: "%Y-%m-%d %H:00",
  minute: "%Y-%m-%d %H:%M",
};
const TO_CHAR: Record<LocalBucket, string> = {
  day: "YYYY-MM-DD",
  hour: "YYYY-MM-DD HH24:00",
  minute: "YYYY-MM-DD HH24:MI",
};

/**
 * The day/hour/minute label of whole epoch seconds (an SQL expression) read as UTC: callers add
 * the display zone's offset first (lib/queries/stats.ts zonedBucketSql), so neither database
 * converts time zones per row.
 */
export function utcBucketText(dialect: SqlDialect, seconds: string, bucket: LocalBucket): string {
  if (dialect === "sqlite") return `strftime('${STRFTIME[bucket]}', ${seconds}, 'unixepoch')`;
  return `to_char(to_timestamp(${seconds}) AT TIME ZONE 'UTC', '${TO_CHAR[bucket]}')`;
}

/**
 * A column compared without its index: SQLite's unary + keeps the planner from an index that would
 * be slower there (Delivery by destination); PostgreSQL plans by statistics and needs no hint.
 */
export function indexHint(dialect: SqlDialect, column: string): string {
  return dialect === "sqlite" ? `+${column}` : column;
}

/**
 * Above this many candidates a set filter is probed while walking Journey in the page's order
 * instead of driving the query (lib/queries/messages.ts). PostgreSQL reads a set of ids cheaply
 * and probes per journey dearly (the walk misses long stretches when the set's journeys are
 * unevenly spread in time), so it walks only for big sets (npm run bench:web -- --db …).
 */
export function bigSet(dialect: SqlDialect): number {
  return dialect === "sqlite" ? 500 : 5000;
}

/**
 * A set of journey ids that drives a page's query (`j.id IN (set)` with ORDER BY … LIMIT): read
 * first, then its journeys sorted. PostgreSQL would plan the IN as the same semi-join as EXISTS and
 * walk Journey in the page's order probing the set, so OFFSET 0 keeps the set a subquery of its own.
 */
export function drivingSet(dialect: SqlDialect, sql: string): string {
  return dialect === "sqlite" ? sql : `${sql} OFFSET 0`;
}

/** An FTS5 query: each word a quoted phrase (punctuation inside splits it into adjacent tokens), all required. */
export function ftsMatch(words: readonly string[], column?: "messageId" | "subject"): string {
  const phrases = words.map((w) => `"${w.replaceAll('"', '""')}"`).join(" ");
  return column ? `${column} : (${phrases})` : phrases;
}

// A token as SQLite's unicode61 tokenizer reads one: a run of letters and digits.
const TOKEN_GAP = "[^[:alnum:]]";

/**
 * The ids of journeys whose Message-ID or subject (or only `column`) holds every word, a word's
 * tokens adjacent (`a.b` is `a` then `b`), case-insensitive: SQLite asks its full-text table
 * JourneyText (migration search_terms), PostgreSQL reads the columns with a regular expression per
 * word whose tokens are letters and digits only, so nothing typed is taken as regex syntax.
 * `perJourney` is the same test of one journey `j` while the page's walk reads it: on PostgreSQL the
 * expressions themselves (a few microseconds a row; the trigram index answers only the whole set,
 * and a set of tens of thousands of ids costs more to build than the walk needs), on SQLite the
 * full-text set.
 */
export function wordCandidates(
  dialect: SqlDialect,
  words: readonly string[],
  column?: "messageId" | "subject",
): { sql: string; params: unknown[]; perJourney: { sql: string; params: unknown[] } } {
  if (dialect === "sqlite") {
    const sql = 'SELECT rowid FROM "JourneyText" WHERE "JourneyText" MATCH ?';
    const params = [ftsMatch(words, column)];
    return { sql, params, perJourney: { sql: `j.id IN (${sql})`, params } };
  }
  const columns = column ? [column] : ["messageId", "subject"];
  const patterns = words.map((word) => {
    const tokens = word
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    return `(^|${TOKEN_GAP})${tokens.join(`${TOKEN_GAP}+`)}($|${TOKEN_GAP})`;
  });
  const where = (table: string) =>
    patterns.map(() => `(${columns.map((c) => `lower(${table}"${c}") ~ ?`).join(" OR ")})`).join(" AND ");
  const params = patterns.flatMap((p) => columns.map(() => p));
  return {
    sql: `SELECT id FROM "Journey" WHERE ${where("")}`,
    params,
    perJourney: { sql: where("j."), params },
  };
}
