import type pg from "pg";
import { type BlockLine, decodeBlock } from "../../lib/core/line-block.ts";
import type { Db } from "../../lib/db/connection.ts";

/** Every line the store holds (those whose key is stored), oldest id first, with its source's path. */
export function storedLines(db: Db): (BlockLine & { path: string })[] {
  const ids = new Set(db.prepare("SELECT id FROM LineKey").pluck().all() as number[]);
  const paths = new Map(
    (db.prepare("SELECT id, path FROM Source").all() as { id: number; path: string }[]).map((s) => [
      s.id,
      s.path,
    ]),
  );
  const blocks = db.prepare("SELECT id, count, compressed, data FROM LineBlock ORDER BY id").all() as {
    id: number;
    count: number;
    compressed: number;
    data: Buffer;
  }[];
  return blocks
    .flatMap((block) => decodeBlock(block))
    .filter((line) => ids.has(line.id))
    .map((line) => ({ ...line, path: paths.get(line.sourceId) ?? "" }));
}

export const lineCount = (db: Db) =>
  (db.prepare("SELECT count(*) AS n FROM LineKey").get() as { n: number }).n;

/** storedLines of a PostgreSQL database. */
export async function storedLinesPostgres(pool: pg.Pool): Promise<BlockLine[]> {
  const ids = new Set((await pool.query<{ id: number }>(`SELECT "id" FROM "LineKey"`)).rows.map((r) => r.id));
  const blocks = await pool.query<{ id: number; count: number; compressed: boolean; data: Buffer }>(
    `SELECT "id", "count", "compressed", "data" FROM "LineBlock" ORDER BY "id"`,
  );
  return blocks.rows.flatMap((block) => decodeBlock(block)).filter((line) => ids.has(line.id));
}

export const lineCountPostgres = async (pool: pg.Pool) =>
  (await pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM "LineKey"`)).rows[0]?.n ?? 0;
