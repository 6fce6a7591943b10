import Database from "better-sqlite3";
import { secureDatabaseFiles } from "./file-modes.ts";

export type Db = Database.Database;

/** Opens the SQLite file with the pragmas every Spamtrail connection relies on (WAL, waits instead of SQLITE_BUSY). */
export function openDatabase(file: string, options: { readonly?: boolean } = {}): Db {
  if (!options.readonly) secureDatabaseFiles(file);
  const db = new Database(file, {
    readonly: options.readonly ?? false,
    fileMustExist: options.readonly ?? false,
  });
  db.pragma("busy_timeout = 10000");
  if (!options.readonly) {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
  }
  db.pragma("foreign_keys = ON");
  db.pragma("cache_size = -65536");
  db.pragma("temp_store = MEMORY");
  return db;
}
