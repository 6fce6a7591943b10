import { closeSync, existsSync, fsyncSync, openSync } from "node:fs";
import type { Db } from "./connection.ts";
import { deferIndexes, deferredUnsynced, hasDeferredIndexes, restoreIndexes } from "./deferred-indexes.ts";

/**
 * Starts a first import into an empty database; false when there is nothing to defer (its writes
 * are then synced as any other's).
 *
 * A first import into an empty database (written by the write thread) builds some indexes once
 * at its end (deferred-indexes.ts), and its write thread does not wait for the disk: it hands
 * pages to the system without fsync (`synchronous = OFF`), which spares it the wait of every
 * checkpoint (a fifth of a 5-million-line import). A process that dies (kill -9, out of memory)
 * loses nothing it handed over; only a machine that stops during the import can leave the file
 * damaged, which the next writer finds (resumeInterruptedImport). At its end the files are synced.
 */
export function beginFirstImport(db: Db, now: number): boolean {
  if (!deferIndexes(db, now)) return false;
  // The note that a first import is under way is on the disk before anything unsynced is.
  db.pragma("wal_checkpoint(FULL)");
  syncToDisk(db);
  return true;
}

/** Builds what the import deferred and puts everything it wrote on the disk. */
export function endFirstImport(db: Db): void {
  restoreIndexes(db);
  syncToDisk(db);
}

/** A database a machine that stopped during its first import left damaged: it cannot be written into. */
export class DamagedDatabaseError extends Error {
  override name = "DamagedDatabaseError";
}

/**
 * Before writing into a database whose import on a write thread did not reach its end: checks the
 * file if it was a first import (a machine that stopped during it can have left it damaged), then
 * builds what it deferred.
 */
export function resumeInterruptedImport(db: Db): void {
  if (!hasDeferredIndexes(db)) return;
  const problems = deferredUnsynced(db) ? integrityProblems(db) : [];
  if (problems.length > 0)
    throw new DamagedDatabaseError(
      `${db.name} is damaged (${problems.slice(0, 3).join("; ")}). A first import into it did not finish, and a first import does not wait for the disk: a machine that stopped during it can leave the file damaged. Delete the database and import the logs again.`,
    );
  restoreIndexes(db);
}

// What SQLite's check finds wrong; a file damaged badly enough makes the check itself fail.
function integrityProblems(db: Db): string[] {
  try {
    return (db.pragma("integrity_check") as { integrity_check: string }[])
      .map((row) => row.integrity_check)
      .filter((text) => text !== "ok");
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    if (code === "SQLITE_CORRUPT" || code === "SQLITE_NOTADB") return [(error as Error).message];
    throw error;
  }
}

// The database and its write-ahead log, whatever was checkpointed (a reader may hold frames back).
function syncToDisk(db: Db): void {
  for (const file of [db.name, `${db.name}-wal`]) {
    if (!existsSync(file)) continue;
    const fd = openSync(file, "r");
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
}
