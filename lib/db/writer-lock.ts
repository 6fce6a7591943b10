import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";

/** Another process writes to the database (ingest or follow): the CLI says which and exits. */
export class WriterBusyError extends Error {
  override name = "WriterBusyError";
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Takes the database's writer lock (a file beside it) for this process: ingest and follow both
 * keep the correlator's open state in the database, so two writers would overwrite each other's.
 * A lock left by a process that died is taken over. Returns the release function.
 */
export function acquireWriterLock(dbPath: string, what: string): () => void {
  const file = `${dbPath}.writer.lock`;
  const mine = JSON.stringify({ pid: process.pid, host: hostname(), what, since: new Date().toISOString() });
  for (let attempt = 0; attempt < 2; attempt += 1) {
    try {
      const fd = openSync(file, "wx", 0o600);
      writeSync(fd, mine);
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off("exit", release);
        rmSync(file, { force: true });
      };
      process.on("exit", release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      let holder: { pid?: number; host?: string; what?: string; since?: string } = {};
      try {
        holder = JSON.parse(readFileSync(file, "utf8")) as typeof holder;
      } catch {
        // An empty or half-written lock file: treat it as stale.
      }
      const sameHost = holder.host === undefined || holder.host === hostname();
      if (holder.pid && sameHost && alive(holder.pid)) {
        throw new WriterBusyError(
          `${dbPath} is being written by ${holder.what ?? "another spamtrail process"} (pid ${holder.pid}, since ${holder.since ?? "?"}); one writer at a time`,
        );
      }
      if (!sameHost) {
        throw new WriterBusyError(
          `${dbPath} is locked by a spamtrail process on ${holder.host} (pid ${holder.pid}); remove ${file} if it is gone`,
        );
      }
      rmSync(file, { force: true });
    }
  }
  throw new WriterBusyError(`could not take the writer lock ${file}`);
}
