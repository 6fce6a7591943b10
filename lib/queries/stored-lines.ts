import type { PrismaClient } from "../../generated/prisma/client.ts";
import { type BlockLine, decodeBlock } from "../core/line-block.ts";
import { getPrisma } from "../db/prisma.ts";
import { dialectOf, jsonArrayTable, readRows } from "./dialect.ts";

export type { BlockLine } from "../core/line-block.ts";

type BlockRow = Record<string, unknown> & {
  id: number | bigint;
  count: number | bigint;
  compressed: boolean | number | bigint;
  data: Uint8Array;
};

/**
 * Stored lines by id, read from their blocks (each block once): the raw lines of a drill-down or
 * of the Sources page's problems. Ids without a stored line are left out.
 */
export async function getStoredLines(
  ids: Iterable<number>,
  prisma: PrismaClient = getPrisma(),
): Promise<Map<number, BlockLine>> {
  const wanted = [...new Set(ids)];
  const lines = new Map<number, BlockLine>();
  if (wanted.length === 0) return lines;
  // The block of a line is the one with the greatest first id not above it.
  const blocks = await readRows<BlockRow>(
    prisma,
    `SELECT id, count, compressed, data FROM "LineBlock" WHERE id IN (
       SELECT (SELECT max(b.id) FROM "LineBlock" b WHERE b.id <= CAST(v.value AS INTEGER))
       FROM ${jsonArrayTable(dialectOf(prisma), "v")})`,
    JSON.stringify(wanted),
  );
  const set = new Set(wanted);
  for (const block of blocks) {
    const decoded = decodeBlock({
      id: Number(block.id),
      count: Number(block.count),
      compressed: Number(block.compressed) !== 0,
      data: block.data,
    });
    for (const line of decoded) if (set.has(line.id)) lines.set(line.id, line);
  }
  return lines;
}
