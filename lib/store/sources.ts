import type { Db } from "../db/connection.ts";
import { prepared } from "../db/prepared.ts";
import type { FileKind } from "../ingest/file-kind.ts";
import type { RepeatSnapshot } from "../ingest/line-key.ts";

/** What the store remembers of a source between runs. */
export type StoredSource = {
  id: number;
  fingerprint: string;
  kind: FileKind;
  stream: string;
  offset: number;
  nextLineNo: number;
  tailOffset: number;
  tailHash: string | null;
  /** Repeat counts of the last second stored from this source. */
  tailCounts: RepeatSnapshot | null;
  lastTs: number | null;
};

type SourceRow = Omit<StoredSource, "offset" | "tailOffset" | "tailCounts"> & {
  offset: number | bigint;
  tailOffset: number | bigint;
  tailCounts: string | null;
};

const SOURCE_COLUMNS = `id, fingerprint, kind, stream, "offset", nextLineNo, tailOffset, tailHash, tailCounts, lastTs`;

/** Finds a source by its content fingerprint. */
export function findSource(db: Db, fingerprint: string): StoredSource | undefined {
  const row = prepared(db, `SELECT ${SOURCE_COLUMNS} FROM Source WHERE fingerprint = ?`).get(fingerprint) as
    | SourceRow
    | undefined;
  if (!row) return undefined;
  return {
    ...row,
    offset: Number(row.offset),
    tailOffset: Number(row.tailOffset),
    tailCounts: row.tailCounts ? (JSON.parse(row.tailCounts) as RepeatSnapshot) : null,
  };
}

/**
 * Repeat counts saved by each stream's most recent source, for the next file of that stream: read
 * once for all streams (a query per file scanned every source each time: 3,000 DSPAM logs took 2 s).
 */
export function latestRepeatSnapshots(db: Db): Map<string, RepeatSnapshot> {
  const rows = db
    .prepare(
      `SELECT stream, tailCounts FROM Source WHERE tailCounts IS NOT NULL ORDER BY lastTs DESC, id DESC`,
    )
    .all() as { stream: string; tailCounts: string }[];
  const snapshots = new Map<string, RepeatSnapshot>();
  for (const row of rows)
    if (!snapshots.has(row.stream)) snapshots.set(row.stream, JSON.parse(row.tailCounts) as RepeatSnapshot);
  return snapshots;
}

/** A file as the pipeline found it: what a new Source row is made of. */
export type SourceInfo = {
  fingerprint: string;
  path: string;
  stream: string;
  kind: FileKind;
  dspamUser: string | null;
  compressed: boolean;
  inode: string | null;
  size: number;
};

export type NewSource = SourceInfo & { now: number };

/** A batch's new position and counters of a source, in the order both databases' updates bind them first. */
export function progressValues(progress: SourceProgress): unknown[] {
  return [
    progress.offset,
    progress.nextLineNo,
    progress.tailOffset,
    progress.tailHash,
    progress.tailCounts ? JSON.stringify(progress.tailCounts) : null,
    progress.read,
    progress.fresh,
    progress.known,
    progress.unparsed,
    progress.problems,
  ];
}

/** Registers a source seen for the first time. */
export function createSource(db: Db, source: NewSource): StoredSource {
  const result = prepared(
    db,
    `INSERT INTO Source (fingerprint, path, stream, kind, dspamUser, compressed, inode, size, createdAt, updatedAt)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    source.fingerprint,
    source.path,
    source.stream,
    source.kind,
    source.dspamUser,
    source.compressed ? 1 : 0,
    source.inode,
    source.size,
    source.now,
    source.now,
  );
  return {
    id: Number(result.lastInsertRowid),
    fingerprint: source.fingerprint,
    kind: source.kind,
    stream: source.stream,
    offset: 0,
    nextLineNo: 1,
    tailOffset: 0,
    tailHash: null,
    tailCounts: null,
    lastTs: null,
  };
}

/** Notes where a known source was seen this time (its path, inode and size change with rotation). */
export function touchSource(
  db: Db,
  id: number,
  seen: { path: string; compressed: boolean; inode: string | null; size: number; now: number },
): void {
  prepared(
    db,
    `UPDATE Source SET path = ?, compressed = ?, inode = ?, size = ?, updatedAt = ? WHERE id = ?`,
  ).run(seen.path, seen.compressed ? 1 : 0, seen.inode, seen.size, seen.now, id);
}

/** Progress of one source inside a write batch. */
export type SourceProgress = {
  offset: number;
  nextLineNo: number;
  tailOffset: number;
  tailHash: string | null;
  tailCounts: RepeatSnapshot | null;
  read: number;
  fresh: number;
  known: number;
  unparsed: number;
  problems: number;
  firstTs: number | null;
  lastTs: number | null;
  programs: Map<string, { lines: number; unparsed: number }>;
};

/** Commits sources' positions and counters, in the transaction that stored their lines. */
export class SourceProgressWriter {
  private readonly update;
  private readonly upsertProgram;

  constructor(db: Db) {
    this.update = db.prepare(
      `UPDATE Source SET "offset" = ?, nextLineNo = ?, tailOffset = ?, tailHash = ?, tailCounts = ?,
         linesRead = linesRead + ?, linesNew = linesNew + ?, linesKnown = linesKnown + ?,
         unparsed = unparsed + ?, problems = problems + ?,
         firstTs = CASE WHEN firstTs IS NULL OR ? < firstTs THEN coalesce(?, firstTs) ELSE firstTs END,
         lastTs = CASE WHEN lastTs IS NULL OR ? > lastTs THEN coalesce(?, lastTs) ELSE lastTs END,
         updatedAt = ?
       WHERE id = ?`,
    );
    this.upsertProgram = db.prepare(
      `INSERT INTO SourceProgram (sourceId, program, lines, unparsed) VALUES (?, ?, ?, ?)
       ON CONFLICT (sourceId, program) DO UPDATE SET lines = lines + excluded.lines, unparsed = unparsed + excluded.unparsed`,
    );
  }

  save(id: number, progress: SourceProgress, now: number): void {
    this.update.run(
      ...progressValues(progress),
      progress.firstTs,
      progress.firstTs,
      progress.lastTs,
      progress.lastTs,
      now,
      id,
    );
    for (const [program, counts] of progress.programs)
      this.upsertProgram.run(id, program, counts.lines, counts.unparsed);
  }
}

/** Notes the size of a followed file and, when lines were read from it, when (the Sources page's health line). */
export function noteSourceSeen(db: Db, id: number, seen: { size: number; readAt: number | null }): void {
  prepared(db, `UPDATE Source SET size = ?, lastReadAt = coalesce(?, lastReadAt) WHERE id = ?`).run(
    seen.size,
    seen.readAt,
    id,
  );
}

/** The source of a stream read most recently (where live follow resumes), and the stream's newest line time. */
export function lastReadOfStream(
  db: Db,
  stream: string,
): { fingerprint: string; readAt: number; lastTs: number | null } | undefined {
  return prepared(
    db,
    `SELECT fingerprint, coalesce(lastReadAt, updatedAt) AS readAt,
         (SELECT max(lastTs) FROM Source WHERE stream = ?) AS lastTs
       FROM Source WHERE stream = ? ORDER BY coalesce(lastReadAt, updatedAt) DESC LIMIT 1`,
  ).get(stream, stream) as { fingerprint: string; readAt: number; lastTs: number | null } | undefined;
}
