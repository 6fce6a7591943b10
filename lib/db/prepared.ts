import type { Statement } from "better-sqlite3";
import type { Db } from "./connection.ts";

const statements = new WeakMap<Db, Map<string, Statement>>();

/**
 * The statement for `sql` on this connection, prepared at its first use. For lookups run once per
 * line or per journey from plain functions: preparing costs more than running such a lookup.
 */
export function prepared(db: Db, sql: string): Statement {
  let bySql = statements.get(db);
  if (!bySql) {
    bySql = new Map();
    statements.set(db, bySql);
  }
  let statement = bySql.get(sql);
  if (!statement) {
    statement = db.prepare(sql);
    bySql.set(sql, statement);
  }
  return statement;
}
