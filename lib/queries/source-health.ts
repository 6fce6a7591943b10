import { closeSync, openSync, readSync, statSync } from "node:fs";
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";

export type SourceHealth = {
  id: number;
  /** Time of the newest line stored from it. */
  lastTs: Date | null;
  /** When live follow last read it; null for files only ever ingested in batch. */
  lastReadAt: Date | null;
  /**
   * Bytes written to the file that are not read yet: its size now minus the offset reached (the
   * size recorded at ingest when the file cannot be read from here); null for gzip files.
   */
  behind: number | null;
  /** The path now holds another file (rotated since): its new content belongs to a new source. */
  rotated: boolean;
  /** The path is gone or unreadable from the dashboard. */
  missing: boolean;
};

// DSPAM's user logs end with the blank line written after each record, which ingest skips
// without consuming it: a tail of nothing but line breaks is not "behind".
const PEEK = 64 * 1024;

function onlyBlank(path: string, from: number, to: number): boolean {
  if (to - from > PEEK) return false;
  const fd = openSync(/*turbopackIgnore: true*/ path, "r");
  try {
    const buffer = Buffer.alloc(to - from);
    const read = readSync(fd, buffer, 0, buffer.length, from);
    return buffer.subarray(0, read).every((byte) => byte === 0x0a || byte === 0x0d || byte === 0x20);
  } finally {
    closeSync(fd);
  }
}

/** Per source: the last line seen, the last live read, and how far reading lags behind the file. */
export async function getSourceHealth(
  prisma: PrismaClient = getPrisma(),
): Promise<Map<number, SourceHealth>> {
  const rows = await prisma.source.findMany({
    select: {
      id: true,
      path: true,
      compressed: true,
      inode: true,
      size: true,
      offset: true,
      lastTs: true,
      lastReadAt: true,
    },
  });
  const health = new Map<number, SourceHealth>();
  for (const row of rows) {
    let size = Number(row.size);
    let rotated = false;
    let missing = false;
    try {
      const info = statSync(/*turbopackIgnore: true*/ row.path);
      if (row.inode !== null && `${info.dev}:${info.ino}` !== row.inode) rotated = true;
      else size = info.size;
    } catch {
      missing = true;
    }
    const offset = Number(row.offset);
    let behind = row.compressed || rotated ? null : Math.max(0, size - offset);
    if (behind !== null && behind > 0 && !missing) {
      try {
        if (onlyBlank(row.path, offset, size)) behind = 0;
      } catch {
        // unreadable now: keep the difference
      }
    }
    health.set(row.id, {
      id: row.id,
      lastTs: row.lastTs,
      lastReadAt: row.lastReadAt,
      behind,
      rotated,
      missing,
    });
  }
  return health;
}
