import type { Db } from "./connection.ts";

/**
 * Runs `work` (one transaction) with its sorts spilling to a temporary file and a small page cache,
 * then puts both settings back: an index built or a million search words sorted at the end of an
 * import leave the process's memory flat.
 */
export function withSpillingSorts(db: Db, work: () => void): void {
  const cache = Number(db.pragma("cache_size", { simple: true }));
  const temp = Number(db.pragma("temp_store", { simple: true }));
  db.pragma("cache_size = -8192");
  db.pragma("temp_store = FILE");
  try {
    db.transaction(work)();
  } finally {
    db.pragma(`cache_size = ${cache}`);
    db.pragma(`temp_store = ${temp}`);
  }
}
