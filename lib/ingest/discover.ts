import { constants } from "node:fs";
import { access, readdir, stat } from "node:fs/promises";
import path from "node:path";

/** A PATH argument that cannot be ingested: the CLI prints it and exits non-zero. */
export class InputError extends Error {
  override name = "InputError";
}

export type Discovered = {
  /** Files named on the command line are always ingested (or reported); "-" is stdin. */
  explicit: string[];
  /** Files found by walking directories: ingested only if their content looks like a log. */
  found: string[];
};

// DSPAM keeps one signature file per message in <user>.sig/: thousands of small binary files.
const SKIPPED_DIRECTORIES = /\.sig$/;

/** Expands PATH arguments: files, directories (recursively), "-" for stdin. */
export async function discover(paths: readonly string[]): Promise<Discovered> {
  const explicit: string[] = [];
  const found: string[] = [];
  for (const given of paths) {
    if (given === "-") {
      explicit.push("-");
      continue;
    }
    const absolute = path.resolve(given);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new InputError(`${given}: no such file or directory`);
    if (info.isDirectory()) {
      await walk(absolute, found);
      continue;
    }
    await access(absolute, constants.R_OK).catch(() => {
      throw new InputError(`${given}: not readable (permission denied)`);
    });
    explicit.push(absolute);
  }
  return { explicit, found: found.filter((file) => !explicit.includes(file)) };
}

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => {
    throw new InputError(`${dir}: directory not readable (permission denied)`);
  });
  entries.sort((a, b) => a.name.localeCompare(b.name));
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRECTORIES.test(entry.name)) await walk(full, out);
    } else if (entry.isFile()) {
      out.push(full);
    }
  }
}
