import { decodeBlock } from "../core/line-block.ts";
import type { CorrelatorSnapshot } from "../correlate/correlator.ts";
import type { Db } from "../db/connection.ts";
import type { FileKind } from "../ingest/file-kind.ts";
import type { ReadBackLine } from "../ingest/stored-line.ts";
import { BLOCK_LINES } from "./line-store.ts";
import type { CorrelationBatch, ReplayStep } from "./write-batch.ts";

/** The correlator's state as last saved: a snapshot, and the batches committed after it. */
export type SavedCorrelation = { snapshot: CorrelatorSnapshot; replay: ReplayStep[] };

/** The correlator's saved state from the last run, if any. */
export function loadCorrelatorState(db: Db): SavedCorrelation | undefined {
  const row = db.prepare(`SELECT snapshot, replay FROM CorrelatorState WHERE id = 1`).get() as
    | { snapshot: string; replay: string | null }
    | undefined;
  if (!row) return undefined;
  return {
    snapshot: JSON.parse(row.snapshot) as CorrelatorSnapshot,
    replay: row.replay ? (JSON.parse(row.replay) as ReplayStep[]) : [],
  };
}

/**
 * Saves the correlator's state, in the transaction that stores the lines it has seen: its
 * snapshot when the batch took one, else the batch's step appended to the replay list (a few
 * bytes instead of the whole open state, which grows with the mail rate).
 */
export function correlatorStateSaver(db: Db): (correlation: CorrelationBatch, now: number) => void {
  const upsert = db.prepare(
    `INSERT INTO CorrelatorState (id, snapshot, updatedAt, replay) VALUES (1, ?, ?, NULL)
     ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, updatedAt = excluded.updatedAt, replay = NULL`,
  );
  const append = db.prepare(
    `UPDATE CorrelatorState SET replay = json_insert(coalesce(replay, '[]'), '$[#]', json(?)), updatedAt = ?
     WHERE id = 1`,
  );
  return (correlation, now) => {
    if (correlation.snapshot !== null) {
      upsert.run(correlation.snapshot, now);
      return;
    }
    if (append.run(JSON.stringify(correlation.step), now).changes !== 1)
      throw new Error("a correlator step without a saved snapshot to replay it from");
  };
}

/** Reads lines `first` … `first + count - 1` back from their blocks, in id order, to be fed again. */
export function storedLinesReader(db: Db): (first: number, count: number) => ReadBackLine[] {
  const blocks = db.prepare(
    `SELECT id, count, compressed, data FROM LineBlock WHERE id > ? AND id <= ? ORDER BY id`,
  );
  const sources = new Map(
    (
      db.prepare(`SELECT id, kind, dspamUser FROM Source`).all() as {
        id: number;
        kind: FileKind;
        dspamUser: string | null;
      }[]
    ).map((source) => [source.id, source]),
  );
  return (first, count) => {
    const last = first + count - 1;
    const rows = blocks.all(first - BLOCK_LINES, last) as {
      id: number;
      count: number;
      compressed: number;
      data: Buffer;
    }[];
    return rows
      .flatMap((block) => decodeBlock(block))
      .filter((line) => line.id >= first && line.id <= last)
      .map((line) => {
        const source = sources.get(line.sourceId);
        return { ...line, kind: source?.kind ?? "syslog", dspamUser: source?.dspamUser ?? null };
      });
  };
}
