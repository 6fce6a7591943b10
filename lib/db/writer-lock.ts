import { readFileSync, rmSync } from "node:fs";
import { hostname } from "node:os";
import Database from "better-sqlite3";
import { createPrivateFile } from "./file-modes.ts";

/** Another process writes to the database (ingest or follow): the CLI says which, in one line, and exits 1. */
export class WriterBusyError extends Error {
  override name = "WriterBusyError";
}

type Holder = { what: string; pid: number; host: string; since: string };

type Attempt = { release: () => void } | { busy: string };

const lockFile = (dbPath: string) => `${dbPath}.writer.lock`;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: string }).code ?? "";
  return code.startsWith("SQLITE_BUSY") || code.startsWith("SQLITE_LOCKED");
}

function describe(dbPath: string, holder: Holder | undefined): string {
  if (!holder) return `${dbPath} is being written by another spamtrail process; one writer at a time`;
  const where = holder.host === hostname() ? "" : ` on ${holder.host}`;
  return `${dbPath} is being written by ${holder.what} (pid ${holder.pid}${where}, since ${holder.since}); one writer at a time`;
}

function readHolder(lock: Database.Database): Holder | undefined {
  try {
    lock.pragma("busy_timeout = 1000");
    return lock.prepare("SELECT what, pid, host, since FROM holder").get() as Holder | undefined;
  } catch {
    // No holder written yet (a new lock file), or its holder is writing it right now.
    return undefined;
  }
}

// Versions before the SQLite lock wrote {"pid": …} into the same file: it locks nothing any more.
function replaceOldLockFile(file: string): boolean {
  try {
    if (!readFileSync(file, "utf8").trimStart().startsWith("{")) return false;
  } catch {
    return false;
  }
  rmSync(file, { force: true });
  return true;
}

// Takes the lock (a write transaction) without waiting; false when another connection holds it.
function begin(lock: Database.Database): boolean {
  lock.pragma("busy_timeout = 0");
  try {
    lock.exec("BEGIN IMMEDIATE");
    return true;
  } catch (error) {
    if (isBusy(error)) return false;
    throw error;
  }
}

function attempt(dbPath: string, what: string): Attempt {
  const file = lockFile(dbPath);
  createPrivateFile(file);
  const lock = new Database(file);
  try {
    if (!begin(lock)) return { busy: describe(dbPath, readHolder(lock)) };
    // Say who holds it where others can read it (committed), then hold it again at once; whoever
    // takes it in between holds it, and this attempt is busy like any other.
    lock.exec("CREATE TABLE IF NOT EXISTS holder (what TEXT, pid INTEGER, host TEXT, since TEXT)");
    lock.exec("DELETE FROM holder");
    lock
      .prepare("INSERT INTO holder VALUES (?, ?, ?, ?)")
      .run(what, process.pid, hostname(), new Date().toISOString());
    lock.pragma("busy_timeout = 2000");
    lock.exec("COMMIT");
    if (!begin(lock)) return { busy: describe(dbPath, readHolder(lock)) };
  } catch (error) {
    lock.close();
    if ((error as { code?: string }).code === "SQLITE_NOTADB" && replaceOldLockFile(file))
      return attempt(dbPath, what);
    throw error;
  } finally {
    if (lock.open && !lock.inTransaction) lock.close();
  }
  let released = false;
  return {
    release: () => {
      if (released) return;
      released = true;
      lock.close();
    },
  };
}

/**
 * Takes the database's writer lock for this process, or throws WriterBusyError saying who holds it:
 * ingest and follow both keep the correlator's open state in the database, so two writers would
 * overwrite each other's. The lock is SQLite's own (an open write transaction on
 * `<db>.writer.lock`), which the kernel drops the moment its holder dies: kill -9 or a crash
 * never leaves it behind, and no process id is trusted. Returns the release function.
 */
export function acquireWriterLock(dbPath: string, what: string): () => void {
  const result = attempt(dbPath, what);
  if ("busy" in result) throw new WriterBusyError(result.busy);
  return result.release;
}

/**
 * Like acquireWriterLock, but waits while another process holds the lock (saying so once through
 * `onWait`), so a restarted follower takes its turn as soon as the lock is free. Rejects with the
 * signal's reason when aborted while waiting.
 */
export async function waitForWriterLock(
  dbPath: string,
  what: string,
  options: { onWait?: (message: string) => void; signal?: AbortSignal; pollMs?: number } = {},
): Promise<() => void> {
  let said = false;
  for (;;) {
    options.signal?.throwIfAborted();
    const result = attempt(dbPath, what);
    if ("release" in result) {
      if (said) options.onWait?.("Took the writer lock.");
      return result.release;
    }
    if (!said) options.onWait?.(`Waiting for the writer lock: ${result.busy}`);
    said = true;
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        options.signal?.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, options.pollMs ?? 500);
      options.signal?.addEventListener("abort", done);
    });
  }
}
