import type pg from "pg";
import { decodeBlock } from "../../core/line-block.ts";
import type { RepeatSnapshot } from "../../ingest/line-key.ts";
import type { SourceInfo, Unterminated } from "../../ingest/pipeline-store.ts";
import { progressValues, type SourceProgress, type StoredSource } from "../sources.ts";
import { epochMs, pgTime, pgTimeOrNull } from "./sql.ts";

const STORED_COLUMNS = `"id", "fingerprint", "kind", "stream", "offset", "nextLineNo", "tailOffset", "tailHash",
  "tailCounts", ${epochMs(`"lastTs"`, "lastTs")}`;

type SourceRow = Omit<StoredSource, "tailCounts"> & { tailCounts: string | null };

const toStored = (row: SourceRow): StoredSource => ({
  ...row,
  offset: Number(row.offset),
  tailOffset: Number(row.tailOffset),
  tailCounts: row.tailCounts ? (JSON.parse(row.tailCounts) as RepeatSnapshot) : null,
});

/**
 * Finds or registers sources by their first line (lib/store/sources.ts's findSource, createSource
 * and touchSource in one statement): two followers meeting the same file register it once.
 */
export async function findOrCreateSources(
  client: pg.ClientBase,
  infos: readonly SourceInfo[],
  now: number,
): Promise<StoredSource[]> {
  const stored: StoredSource[] = [];
  for (const info of infos) {
    const { rows } = await client.query<SourceRow>(
      `INSERT INTO "Source" ("fingerprint", "path", "stream", "kind", "dspamUser", "compressed", "inode", "size",
         "createdAt", "updatedAt")
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)
       ON CONFLICT ("fingerprint") DO UPDATE SET "path" = excluded."path", "compressed" = excluded."compressed",
         "inode" = excluded."inode", "size" = excluded."size", "updatedAt" = excluded."updatedAt"
       RETURNING ${STORED_COLUMNS}`,
      [
        info.fingerprint,
        info.path,
        info.stream,
        info.kind,
        info.dspamUser,
        info.compressed,
        info.inode,
        info.size,
        pgTime(now),
      ],
    );
    stored.push(toStored(rows[0] as SourceRow));
  }
  return stored;
}

/** Repeat counts saved by the stream's most recent source. */
export async function latestRepeatSnapshotPostgres(
  client: pg.ClientBase,
  stream: string,
): Promise<RepeatSnapshot | null> {
  const { rows } = await client.query<{ tailCounts: string }>(
    `SELECT "tailCounts" FROM "Source" WHERE "stream" = $1 AND "tailCounts" IS NOT NULL
     ORDER BY "lastTs" DESC NULLS LAST, "id" DESC LIMIT 1`,
    [stream],
  );
  return rows[0] ? (JSON.parse(rows[0].tailCounts) as RepeatSnapshot) : null;
}

/** The unterminated last line an earlier run stored from a source, if any. */
export async function findUnterminatedPostgres(
  client: pg.ClientBase,
  sourceId: number,
): Promise<Unterminated | undefined> {
  const issue = (
    await client.query<{ lineId: number; key: Buffer }>(
      `SELECT "lineId", "key" FROM "LineIssue" WHERE "sourceId" = $1 AND "reason" = 'unterminated'
       ORDER BY "lineId" DESC LIMIT 1`,
      [sourceId],
    )
  ).rows[0];
  if (!issue) return undefined;
  const block = (
    await client.query<{ id: number; count: number; compressed: boolean; data: Buffer }>(
      `SELECT "id", "count", "compressed", "data" FROM "LineBlock" WHERE "id" <= $1 ORDER BY "id" DESC LIMIT 1`,
      [issue.lineId],
    )
  ).rows[0];
  const line = block ? decodeBlock(block)[issue.lineId - block.id] : undefined;
  return line ? { lineId: issue.lineId, key: issue.key, byteOffset: line.byteOffset } : undefined;
}

/** lib/store/sources.ts's SourceProgressWriter on PostgreSQL, in the batch's transaction. */
export async function saveSourceProgress(
  client: pg.ClientBase,
  id: number,
  progress: SourceProgress,
  now: number,
): Promise<void> {
  await client.query(
    `UPDATE "Source" SET "offset" = $1, "nextLineNo" = $2, "tailOffset" = $3, "tailHash" = $4, "tailCounts" = $5,
       "linesRead" = "linesRead" + $6, "linesNew" = "linesNew" + $7, "linesKnown" = "linesKnown" + $8,
       "unparsed" = "unparsed" + $9, "problems" = "problems" + $10,
       "firstTs" = CASE WHEN "firstTs" IS NULL OR $11::timestamp < "firstTs" THEN coalesce($11::timestamp, "firstTs") ELSE "firstTs" END,
       "lastTs" = CASE WHEN "lastTs" IS NULL OR $12::timestamp > "lastTs" THEN coalesce($12::timestamp, "lastTs") ELSE "lastTs" END,
       "updatedAt" = $13
     WHERE "id" = $14`,
    [
      ...progressValues(progress),
      pgTimeOrNull(progress.firstTs),
      pgTimeOrNull(progress.lastTs),
      pgTime(now),
      id,
    ],
  );
  if (progress.programs.size === 0) return;
  const programs = [...progress.programs];
  await client.query(
    `INSERT INTO "SourceProgram" ("sourceId", "program", "lines", "unparsed")
     SELECT $1, * FROM unnest($2::text[], $3::int[], $4::int[])
     ON CONFLICT ("sourceId", "program") DO UPDATE SET "lines" = "SourceProgram"."lines" + excluded."lines",
       "unparsed" = "SourceProgram"."unparsed" + excluded."unparsed"`,
    [id, programs.map(([p]) => p), programs.map(([, c]) => c.lines), programs.map(([, c]) => c.unparsed)],
  );
}

/** Notes the size of a followed file and, when lines were read from it, when (the Sources page's health line). */
export async function noteSourceSeenPostgres(
  client: pg.Pool | pg.ClientBase,
  id: number,
  seen: { size: number; readAt: number | null },
): Promise<void> {
  await client.query(
    `UPDATE "Source" SET "size" = $1, "lastReadAt" = coalesce($2, "lastReadAt") WHERE "id" = $3`,
    [seen.size, pgTimeOrNull(seen.readAt), id],
  );
}
