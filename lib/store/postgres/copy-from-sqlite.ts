import type pg from "pg";
import type { Db } from "../../db/connection.ts";
import { inTransaction } from "../../db/postgres.ts";

type Column = { name: string; type: string };

// PostgreSQL binds at most 65,535 parameters per statement; blocks of lines are big, so fewer rows.
const MAX_PARAMS = 30_000;
const MAX_ROWS = 500;

/** The PostgreSQL database already holds Spamtrail's data: copying would mix two histories. */
export class CopyTargetNotEmptyError extends Error {
  override name = "CopyTargetNotEmptyError";
}

/**
 * Copies every row of a SQLite database into a migrated, empty PostgreSQL database of the same
 * schema (an install moving to PostgreSQL), in one transaction: all or nothing. SQLite's values
 * become PostgreSQL's types as the target's columns say: epoch milliseconds → timestamp, 0/1 →
 * boolean. Serial ids continue after the copied ones. Returns the rows copied per table.
 */
export async function copySqliteToPostgres(db: Db, client: pg.ClientBase): Promise<Map<string, number>> {
  const tables = await tablesInOrder(client);
  for (const table of tables) {
    const { rows } = await client.query(`SELECT 1 FROM "${table}" LIMIT 1`);
    if (rows.length > 0)
      throw new CopyTargetNotEmptyError(`the PostgreSQL database already holds rows in ${table}`);
  }
  const copied = new Map<string, number>();
  await inTransaction(client, async () => {
    for (const table of tables)
      copied.set(table, await copyTable(db, client, table, await columnsOf(client, table)));
  });
  return copied;
}

// Parents before children (foreign keys are checked row by row).
async function tablesInOrder(client: pg.ClientBase): Promise<string[]> {
  const { rows: tables } = await client.query<{ name: string }>(
    `SELECT table_name AS name FROM information_schema.tables
     WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' AND table_name <> '_prisma_migrations'
     ORDER BY 1`,
  );
  const { rows: edges } = await client.query<{ child: string; parent: string }>(
    `SELECT c.relname AS child, p.relname AS parent FROM pg_constraint k
     JOIN pg_class c ON c.oid = k.conrelid JOIN pg_class p ON p.oid = k.confrelid
     WHERE k.contype = 'f' AND c.relnamespace = to_regnamespace(current_schema())`,
  );
  const ordered: string[] = [];
  const placed = new Set<string>();
  const place = (table: string): void => {
    if (placed.has(table)) return;
    placed.add(table);
    for (const edge of edges) if (edge.child === table && edge.parent !== table) place(edge.parent);
    ordered.push(table);
  };
  for (const { name } of tables) place(name);
  return ordered;
}

async function columnsOf(client: pg.ClientBase, table: string): Promise<Column[]> {
  const { rows } = await client.query<{ name: string; type: string }>(
    `SELECT column_name AS name, data_type AS type FROM information_schema.columns
     WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position`,
    [table],
  );
  return rows;
}

function converter(type: string): (value: unknown) => unknown {
  if (type.startsWith("timestamp"))
    return (value) => (value === null ? null : new Date(value as number | string));
  if (type === "boolean") return (value) => (value === null ? null : Boolean(value));
  return (value) => value;
}

async function copyTable(db: Db, client: pg.ClientBase, table: string, columns: Column[]): Promise<number> {
  const names = columns.map((column) => `"${column.name}"`).join(", ");
  const convert = columns.map((column) => converter(column.type));
  const perInsert = Math.max(1, Math.min(MAX_ROWS, Math.floor(MAX_PARAMS / columns.length)));
  let batch: unknown[][] = [];
  let count = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const params = batch.flat();
    const values = batch
      .map((_, row) => `(${columns.map((_, col) => `$${row * columns.length + col + 1}`).join(", ")})`)
      .join(", ");
    // ON CONFLICT: rows that the target's triggers already wrote (SearchTerm, from Journey and Delivery).
    await client.query(`INSERT INTO "${table}" (${names}) VALUES ${values} ON CONFLICT DO NOTHING`, params);
    count += batch.length;
    batch = [];
  };
  const select = db.prepare(`SELECT ${names} FROM "${table}"`).raw(true);
  for (const row of select.iterate() as Iterable<unknown[]>) {
    batch.push(row.map((value, i) => (convert[i] as (v: unknown) => unknown)(value)));
    if (batch.length >= perInsert) await flush();
  }
  await flush();
  await continueSerial(client, table, columns);
  return count;
}

// A SERIAL id column's sequence would hand out 1 again: it starts after the copied ids.
async function continueSerial(client: pg.ClientBase, table: string, columns: Column[]): Promise<void> {
  for (const column of columns) {
    const { rows } = await client.query<{ seq: string | null }>(
      "SELECT pg_get_serial_sequence($1, $2) AS seq",
      [`"${table}"`, column.name],
    );
    const sequence = rows[0]?.seq;
    if (!sequence) continue;
    await client.query(
      `SELECT setval($1, coalesce((SELECT max("${column.name}") FROM "${table}"), 0) + 1, false)`,
      [sequence],
    );
  }
}
