import assert from "node:assert/strict";
import { before, describe, test } from "node:test";
import { type BlockLine, decodeBlock } from "../lib/core/line-block.ts";
import { type LineColumns, LineColumnsBuilder } from "../lib/core/line-columns.ts";
import { migratePostgres } from "../lib/db/migrate-postgres.ts";
import { postgresPool } from "../lib/db/postgres.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { writeLinesPostgres } from "../lib/store/postgres/line-store.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { freshPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { storedLines } from "./helpers/stored-lines.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const skip = await postgresSkip();
type Line = Omit<BlockLine, "id"> & { key: Buffer };

// The lab's lines as SQLite's ingest stored them, keys included: what a follower hands PostgreSQL.
let LAB_LINES: Line[] = [];
before(async () => {
  if (skip) return;
  const { db } = tempDatabase();
  await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR });
  const keys = new Map(
    (db.prepare("SELECT id, key FROM LineKey").all() as { id: number; key: Buffer }[]).map((r) => [
      r.id,
      r.key,
    ]),
  );
  LAB_LINES = storedLines(db).map(({ id, path: _path, ...line }) => ({
    ...line,
    key: keys.get(id) as Buffer,
  }));
});

function batches(lines: Line[], size: number): LineColumns[] {
  const out: LineColumns[] = [];
  for (let from = 0; from < lines.length; from += size) {
    const builder = new LineColumnsBuilder(0, size);
    for (const line of lines.slice(from, from + size)) {
      const i = builder.add(
        line.sourceId,
        line.lineNo,
        line.byteOffset,
        line.ts ?? Number.NaN,
        line.event,
        line.key.readUInt32BE(0),
        line.text,
      );
      builder.keysOf().set(line.key, 12 * i);
    }
    out.push(builder.take());
  }
  return out;
}

async function migrated(): Promise<{ url: string; pool: ReturnType<typeof postgresPool> }> {
  const url = await freshPostgresDatabase();
  const pool = postgresPool(url);
  await migratePostgres(pool);
  return { url, pool };
}

async function write(pool: ReturnType<typeof postgresPool>, lines: LineColumns[]): Promise<number> {
  let stored = 0;
  for (const batch of lines) {
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      stored += (await writeLinesPostgres(client, batch)).count;
      await client.query("COMMIT");
    } finally {
      client.release();
    }
  }
  return stored;
}

async function readBack(pool: ReturnType<typeof postgresPool>): Promise<(BlockLine & { key: string })[]> {
  const keys = new Map(
    (await pool.query<{ id: number; key: Buffer }>('SELECT "id", "key" FROM "LineKey"')).rows.map((r) => [
      r.id,
      r.key.toString("hex"),
    ]),
  );
  const blocks = await pool.query<{ id: number; count: number; compressed: boolean; data: Buffer }>(
    'SELECT "id", "count", "compressed", "data" FROM "LineBlock" ORDER BY "id"',
  );
  return blocks.rows
    .flatMap((block) => decodeBlock(block))
    .map((line) => ({ ...line, key: keys.get(line.id) ?? "" }));
}

const sorted = <T extends { key: string }>(lines: T[]) =>
  [...lines].sort((a, b) => a.key.localeCompare(b.key));
const expected = () => sorted(LAB_LINES.map(({ key, ...line }) => ({ ...line, key: key.toString("hex") })));

describe("lines on PostgreSQL", { skip }, () => {
  test("the lab's lines, written in batches, read back as SQLite stored them, with ids 1…N in compressed blocks", async () => {
    const { pool } = await migrated();
    try {
      assert.equal(await write(pool, batches(LAB_LINES, 500)), LAB_LINES.length);
      const lines = await readBack(pool);
      assert.deepEqual(
        lines.map((line) => line.id),
        LAB_LINES.map((_, i) => i + 1),
      );
      assert.deepEqual(sorted(lines.map(({ id: _id, ...line }) => line)), expected());
      const compressed = await pool.query<{ n: number }>(
        'SELECT count(*) AS n FROM "LineBlock" WHERE "compressed"',
      );
      assert.ok((compressed.rows[0]?.n ?? 0) > 0);
      assert.equal(await write(pool, batches(LAB_LINES, 700)), 0, "written again, nothing is new");
      assert.equal((await readBack(pool)).length, LAB_LINES.length);
    } finally {
      await pool.end();
    }
  });

  test("two followers writing overlapping lines at the same time: every line once, blocks of consecutive ids", async () => {
    const { url, pool } = await migrated();
    const other = postgresPool(url);
    try {
      const cut = (share: number) => Math.round(LAB_LINES.length * share);
      const [a, b] = await Promise.all([
        write(pool, batches(LAB_LINES.slice(0, cut(0.6)), 200)),
        write(other, batches(LAB_LINES.slice(cut(0.4)), 200)),
      ]);
      assert.equal(a + b, LAB_LINES.length);
      const lines = await readBack(pool);
      assert.deepEqual(
        lines.map((line) => line.id),
        lines.map((_, i) => i + 1),
      );
      assert.deepEqual(sorted(lines.map(({ id: _id, ...line }) => line)), expected());
    } finally {
      await Promise.all([pool.end(), other.end()]);
    }
  });
});
