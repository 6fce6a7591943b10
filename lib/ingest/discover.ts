import { constants, type Dirent } from "node:fs";
import { access, lstat, readdir, stat } from "node:fs/promises";
import path from "node:path";
import { notRegular } from "./open-input.ts";

/** A PATH argument that cannot be ingested: the CLI prints it and exits non-zero. */
export class InputError extends Error {
  override name = "InputError";
}

export type Discovered = {
  /** Files named on the command line are always ingested (or reported); "-" is stdin. */
  explicit: string[];
  /** Files found by walking directories: ingested only if their content looks like a log. */
  found: string[];
  /** What walking directories passed over, and why: unreadable subdirectories, FIFOs, sockets, devices. */
  skipped: { path: string; reason: string }[];
};

// DSPAM keeps one signature file per message in <user>.sig/: thousands of small binary files.
const SKIPPED_DIRECTORIES = /\.sig$/;

/** Expands PATH arguments: files, directories (recursively), "-" for stdin. */
export async function discover(paths: readonly string[]): Promise<Discovered> {
  const explicit: string[] = [];
  const found: Discovered = { explicit, found: [], skipped: [] };
  for (const given of paths) {
    if (given === "-") {
      explicit.push("-");
      continue;
    }
    const absolute = path.resolve(given);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new InputError(`${given}: no such file or directory`);
    if (info.isDirectory()) {
      const entries = await readdir(absolute, { withFileTypes: true }).catch(() => {
        throw new InputError(`${given}: directory not readable (permission denied)`);
      });
      await walk(absolute, entries, found);
      continue;
    }
    // A FIFO would be read forever (or wait for a writer), a device is not a log.
    const odd = notRegular(info);
    if (odd) throw new InputError(`${given}: ${odd}, not a log file`);
    await access(absolute, constants.R_OK).catch(() => {
      throw new InputError(`${given}: not readable (permission denied)`);
    });
    explicit.push(absolute);
  }
  return { ...found, found: found.found.filter((file) => !explicit.includes(file)) };
}

async function walk(dir: string, entries: Dirent[], out: Discovered): Promise<void> {
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (SKIPPED_DIRECTORIES.test(entry.name)) continue;
      const inside = await readdir(full, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
        const why = error.code === "EACCES" ? "permission denied" : error.message;
        out.skipped.push({ path: full, reason: `directory not readable (${why})` });
        return undefined;
      });
      if (inside) await walk(full, inside, out);
    } else if (entry.isFile()) {
      out.found.push(full);
    } else if (!entry.isSymbolicLink()) {
      const odd = notRegular(await lstat(full));
      out.skipped.push({ path: full, reason: `${odd}, not a log file` });
    }
  }
}
