import type pg from "pg";
import { encodeBlock } from "../../core/line-block.ts";
import { type LineColumns, selectLines } from "../../core/line-columns.ts";
import { blockRanges } from "../line-store.ts";

// Taken for the length of a line-writing transaction: line ids are handed out in one run per
// batch (a block holds consecutive ids), so two followers' batches take turns for that step only.
const LINE_IDS_LOCK = 0x5370_4c49; // "SpLI"

/**
 * Stores a batch's lines on PostgreSQL inside the caller's transaction; returns how many were new.
 * The database decides what is new, not the writer: lines whose key another follower (or an
 * earlier run) stored are dropped, the others get the next ids and go into compressed blocks.
 * Each step is one statement over arrays (unnest), however many lines the batch holds.
 */
export async function writeLinesPostgres(client: pg.ClientBase, lines: LineColumns): Promise<LineColumns> {
  if (lines.count === 0) return lines;
  await client.query("SELECT pg_advisory_xact_lock($1)", [LINE_IDS_LOCK]);
  const keys: Buffer[] = new Array(lines.count);
  for (let i = 0; i < lines.count; i += 1) keys[i] = Buffer.from(lines.keys.subarray(12 * i, 12 * i + 12));
  const known = await client.query<{ key: Buffer }>(
    `SELECT "key" FROM "LineKey" WHERE "key" = ANY($1::bytea[])`,
    [keys],
  );
  const stored = new Set(known.rows.map((row) => row.key.toString("hex")));
  const fresh: number[] = [];
  // A batch may repeat a key too (the same line in two files of one run): the first one is kept.
  for (let i = 0; i < lines.count; i += 1) {
    const hex = (keys[i] as Buffer).toString("hex");
    if (!stored.has(hex)) {
      stored.add(hex);
      fresh.push(i);
    }
  }
  const next = await client.query<{ next: number }>(
    `SELECT coalesce(max("id" + "count"), 1)::int AS next FROM "LineBlock"`,
  );
  const picked = selectLines(lines, fresh, next.rows[0]?.next ?? 1);
  if (picked.count === 0) return picked;
  // The lock makes the conflict impossible between Spamtrail's writers; the clause keeps line
  // identity the database's rule for anything else that writes.
  await client.query(
    `INSERT INTO "LineKey" ("key", "id")
     SELECT * FROM unnest($1::bytea[], $2::int[]) ON CONFLICT ("key") DO NOTHING`,
    [fresh.map((i) => keys[i]), fresh.map((_, j) => picked.firstId + j)],
  );
  const blocks = blockRanges(picked).map(([from, to]) => encodeBlock(picked, from, to));
  await client.query(
    `INSERT INTO "LineBlock" ("id", "count", "lastSecond", "compressed", "data")
     SELECT * FROM unnest($1::int[], $2::int[], $3::int[], $4::boolean[], $5::bytea[])`,
    [
      blocks.map((b) => b.id),
      blocks.map((b) => b.count),
      blocks.map((b) => b.lastSecond),
      blocks.map((b) => b.compressed),
      blocks.map((b) => b.data),
    ],
  );
  return picked;
}
