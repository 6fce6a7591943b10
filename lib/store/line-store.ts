import { decodeBlock, encodeBlock } from "../core/line-block.ts";
import type { LineColumns } from "../core/line-columns.ts";
import type { Db } from "../db/connection.ts";
import { prepared } from "../db/prepared.ts";

/** A line that needs a human (unparsed, unrecognised, repaired, unterminated). */
export type LineIssueRow = {
  lineId: number;
  sourceId: number;
  reason: string;
  detail: string | null;
  key: Uint8Array;
};

// Rows per INSERT statement: binding many rows in one call is 2-3x faster than a call per row.
const KEYS_PER_INSERT = 64;
// A block is what a drill-down inflates to show one line: about 2,000 lines, 256 KiB of text.
export const BLOCK_LINES = 2048;
const BLOCK_TEXT = 256 * 1024;

/**
 * Writes lines: each line's key into LineKey (the table that makes re-ingesting add nothing) and
 * the lines themselves into compressed blocks (LineBlock); one way for batch ingest and follow.
 */
export class LineStore {
  private readonly insertKeys;
  private readonly insertKey;
  private readonly insertBlock;
  private readonly insertIssue;
  private readonly deleteKey;
  private readonly deleteIssue;

  constructor(db: Db) {
    this.insertKeys = db.prepare(
      `INSERT INTO LineKey (key, id) VALUES ${Array(KEYS_PER_INSERT).fill("(?, ?)").join(", ")}`,
    );
    this.insertKey = db.prepare(`INSERT INTO LineKey (key, id) VALUES (?, ?)`);
    this.insertBlock = db.prepare(
      `INSERT INTO LineBlock (id, count, lastSecond, compressed, data) VALUES (?, ?, ?, ?, ?)`,
    );
    this.insertIssue = db.prepare(
      `INSERT INTO LineIssue (lineId, sourceId, reason, detail, key) VALUES (?, ?, ?, ?, ?)`,
    );
    this.deleteKey = db.prepare(`DELETE FROM LineKey WHERE key = ?`);
    this.deleteIssue = db.prepare(`DELETE FROM LineIssue WHERE lineId = ?`);
  }

  /** Stores new lines (their keys were checked to be new: a key stored twice is an error). */
  write(lines: LineColumns): void {
    const keys = Buffer.from(lines.keys.buffer, lines.keys.byteOffset, lines.keys.byteLength);
    const args: (Buffer | number)[] = new Array(KEYS_PER_INSERT * 2);
    let i = 0;
    for (; i + KEYS_PER_INSERT <= lines.count; i += KEYS_PER_INSERT) {
      for (let j = 0; j < KEYS_PER_INSERT; j += 1) {
        args[2 * j] = keys.subarray(12 * (i + j), 12 * (i + j + 1));
        args[2 * j + 1] = lines.firstId + i + j;
      }
      this.insertKeys.run(args);
    }
    for (; i < lines.count; i += 1)
      this.insertKey.run(keys.subarray(12 * i, 12 * (i + 1)), lines.firstId + i);

    for (const [from, to] of blockRanges(lines)) {
      const block = encodeBlock(lines, from, to);
      this.insertBlock.run(block.id, block.count, block.lastSecond, block.compressed ? 1 : 0, block.data);
    }
  }

  issue(row: LineIssueRow): void {
    this.insertIssue.run(row.lineId, row.sourceId, row.reason, row.detail, row.key);
  }

  /**
   * Forgets a line (an unterminated last line that has since been completed): its key and issue
   * go; its text stays in its block, where nothing finds it by key any more.
   */
  remove(line: { lineId: number; key: Uint8Array }): void {
    this.deleteKey.run(line.key);
    this.deleteIssue.run(line.lineId);
  }
}

/** How a batch's lines are cut into blocks: [from, to) ranges, for SQLite and PostgreSQL alike. */
export function blockRanges(lines: LineColumns): [number, number][] {
  const ranges: [number, number][] = [];
  let from = 0;
  let start = 0;
  for (let to = 0; to < lines.count; to += 1) {
    const end = lines.textEnds[to] as number;
    if (to + 1 - from >= BLOCK_LINES || end - start >= BLOCK_TEXT || to + 1 === lines.count) {
      ranges.push([from, to + 1]);
      from = to + 1;
      start = end + 1;
    }
  }
  return ranges;
}

/** True when a line with this key is stored. */
export function isLineStored(db: Db, key: Uint8Array): boolean {
  return prepared(db, `SELECT 1 FROM LineKey WHERE key = ?`).get(key) !== undefined;
}

/** The second of the newest line key stored (-1 when none): no older run stored a line after it. */
export function newestStoredSecond(db: Db): number {
  const row = db.prepare(`SELECT max(key) AS key FROM LineKey`).get() as { key: Buffer | null };
  return row.key ? row.key.readUInt32BE(0) : -1;
}

/** The id the next stored line gets. */
export function nextLineId(db: Db): number {
  const row = db.prepare(`SELECT max(id + count) AS next FROM LineBlock`).get() as { next: number | null };
  return row.next ?? 1;
}

/** The unterminated last line an earlier run stored from a source, if any (replaced once complete). */
export function findUnterminated(
  db: Db,
  sourceId: number,
): { lineId: number; key: Uint8Array; byteOffset: number } | undefined {
  const issue = prepared(
    db,
    `SELECT lineId, key FROM LineIssue WHERE sourceId = ? AND reason = 'unterminated' ORDER BY lineId DESC LIMIT 1`,
  ).get(sourceId) as { lineId: number; key: Buffer } | undefined;
  if (!issue) return undefined;
  const block = prepared(
    db,
    `SELECT id, count, compressed, data FROM LineBlock WHERE id <= ? ORDER BY id DESC LIMIT 1`,
  ).get(issue.lineId) as { id: number; count: number; compressed: number; data: Buffer } | undefined;
  const line = block ? decodeBlock(block)[issue.lineId - block.id] : undefined;
  return line ? { lineId: issue.lineId, key: issue.key, byteOffset: line.byteOffset } : undefined;
}
