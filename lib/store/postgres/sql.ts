// What PostgreSQL's write path binds and reads differently from SQLite's (lib/store/*.ts): the
// statements are built from the same column lists, with quoted names and numbered placeholders.

/**
 * A time bound for a timestamp column: the UTC wall time as text. PostgreSQL ignores the zone of
 * a literal for `timestamp without time zone`, so this does not depend on this process's TZ.
 */
export const pgTime = (ms: number): string => new Date(ms).toISOString();

/** A nullable time. */
export const pgTimeOrNull = (ms: number | null): string | null => (ms === null ? null : pgTime(ms));

/** A timestamp column read as epoch milliseconds (the records' unit), named as the column. */
export const epochMs = (column: string, alias = column) =>
  `(extract(epoch FROM ${column}) * 1000)::float8 AS "${alias}"`;

const quoted = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(", ");

/** `INSERT INTO "table" (…) VALUES ($1…)` for one row of `columns`. */
export function insertSql(table: string, columns: readonly string[]): string {
  return `INSERT INTO "${table}" (${quoted(columns)}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(", ")})`;
}

/** An INSERT of many rows of `columns` in one statement (flattened values). */
export function insertManySql(table: string, columns: readonly string[], rows: number): string {
  const values: string[] = [];
  for (let r = 0; r < rows; r += 1)
    values.push(`(${columns.map((_, c) => `$${r * columns.length + c + 1}`).join(", ")})`);
  return `INSERT INTO "${table}" (${quoted(columns)}) VALUES ${values.join(", ")}`;
}

/** `ON CONFLICT (key) DO UPDATE SET` the given columns from the row proposed. */
export function upsertSql(conflict: string, columns: readonly string[]): string {
  return `ON CONFLICT ("${conflict}") DO UPDATE SET ${columns.map((c) => `"${c}" = excluded."${c}"`).join(", ")}`;
}
