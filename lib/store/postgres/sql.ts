import type pg from "pg";

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

// PostgreSQL binds at most 65,535 parameters in one statement.
const MAX_PARAMS = 65_535;

/**
 * Inserts rows (values in `columns` order) in as few multi-row INSERTs as the parameter limit
 * allows, each followed by `tail` (ON CONFLICT…, RETURNING…); returns what RETURNING gave.
 */
export async function insertRows<Row extends Record<string, unknown>>(
  client: pg.ClientBase,
  table: string,
  columns: readonly string[],
  rows: readonly unknown[][],
  tail = "",
): Promise<Row[]> {
  const per = Math.floor(MAX_PARAMS / columns.length);
  const returned: Row[] = [];
  for (let i = 0; i < rows.length; i += per) {
    const chunk = rows.slice(i, i + per);
    const result = await client.query<Row>(
      `${insertManySql(table, columns, chunk.length)} ${tail}`,
      chunk.flat(),
    );
    for (const row of result.rows) returned.push(row);
  }
  return returned;
}

/**
 * Takes `n` values of each table's id sequence at once, as `n` one-row inserts would (an upsert
 * that updates takes one too, on SQLite as here): rows given ids from them get the ids SQLite
 * gives writing one row at a time. The first value of each table (none for n = 0).
 */
export async function reserveIds(
  client: pg.ClientBase,
  counts: Record<string, number>,
): Promise<Record<string, number>> {
  const tables = Object.entries(counts).filter(([, n]) => n > 0);
  if (tables.length === 0) return {};
  const seq = (table: string) => `pg_get_serial_sequence('"${table}"', 'id')`;
  const { rows } = await client.query<Record<string, string>>(
    `SELECT ${tables
      .map(
        ([table], i) =>
          `setval(${seq(table)}, nextval(${seq(table)}) + $${i + 1}::bigint - 1) - $${i + 1}::bigint + 1 AS "${table}"`,
      )
      .join(", ")}`,
    tables.map(([, n]) => n),
  );
  return Object.fromEntries(tables.map(([table]) => [table, Number(rows[0]?.[table])]));
}
