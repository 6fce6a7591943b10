import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** The checkout's root (where package.json lives), so the CLI and the server agree on defaults from any cwd. */
export function projectRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** Resolves the SQLite file: an explicit --db wins, then DATABASE_URL, then data/spamtrail.db in the checkout. */
export function resolveDatabasePath(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  if (explicit) return path.resolve(explicit);
  const url = env.DATABASE_URL;
  if (url) {
    const file = url.startsWith("file:") ? url.slice("file:".length) : url;
    return path.resolve(projectRoot(), file);
  }
  return path.join(projectRoot(), "data", "spamtrail.db");
}
