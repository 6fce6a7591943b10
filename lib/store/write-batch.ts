// The write path's one interface: what ingest and follow decided to write, as one batch per
// transaction. A store backend implements BatchWriter; lib/store/sqlite-batch-store.ts is SQLite's.
import type { CorrelatorOutput } from "../core/journey.ts";
import type { LineColumns } from "../core/line-columns.ts";
import type { WrittenOutputs } from "../correlate/resolve.ts";
import type { Evidence } from "../detect/types.ts";
import type { LineIssueRow } from "./line-store.ts";
import type { SourceProgress } from "./sources.ts";

/**
 * A batch's part in the correlator's history: it fed the lines with ids `first` … `first + count - 1`
 * (count 0: none), then drained the correlator with `flags` (REPLAY_PROVISIONAL, REPLAY_LIVE).
 * The correlator is pure, so the same lines and drains after a snapshot rebuild the same state.
 */
export type ReplayStep = [first: number, count: number, flags: number];
export const REPLAY_PROVISIONAL = 1;
export const REPLAY_LIVE = 2;

/** What the correlator adds to a batch. */
export type CorrelationBatch = {
  /** Journeys, trainings and classifications handed out, decided against the store when written (lib/correlate/resolve.ts). */
  outputs: CorrelatorOutput[];
  /**
   * The correlator's open state after them (JSON), saved with the lines it has seen; null when
   * this batch took none: its `step` is saved instead, and replayed on top of the last snapshot.
   */
  snapshot: string | null;
  /** What this batch fed the correlator and how it drained it, to be replayed after a snapshot. */
  step: ReplayStep;
  /** Findings shown by the lines themselves (DSPAM's own errors). */
  lineEvidence: Evidence[];
  /** Domains recipients are local in, as the correlator knows them now (for the detectors). */
  localDomains: string[];
  /** Recompute the findings about the whole server (end of a run, follow's provisional writes). */
  global: boolean;
};

/** What the write thread (lib/store/write-worker.ts) is started with; synced false: a first import's (lib/db/first-import.ts). */
export type WriteThreadData = { file: string; synced: boolean };

/**
 * The write thread's answers: a batch written (another may be handed over), the batches a commit
 * made durable with what each made (in order), or the error that rolled back every batch not yet
 * committed (nothing more is written after it).
 */
export type WriteThreadReply =
  | { written: number }
  | { committed: { seq: number; result: BatchResult }[] }
  | { error: string; stack?: string };

/** One transaction: new lines, the sources' new positions and counters, what the correlator handed out. */
export type WriteBatch = {
  seq: number;
  now: number;
  lines: LineColumns | null;
  issues: LineIssueRow[];
  /** Unterminated lines stored by an earlier run and now complete: forgotten. */
  replaced: { lineId: number; key: Uint8Array }[];
  sources: { id: number; progress: SourceProgress }[];
  correlation: CorrelationBatch | null;
};

/** What writing a batch made of the correlator's outputs. */
export type BatchResult = {
  journeys: number;
  trainings: number;
  /** Classifications no journey took, in memory or stored (lib/correlate/resolve.ts). */
  orphanVerdicts: number;
  /** Lines of the batch the database found stored already (PostgreSQL decides at write time). */
  known?: number;
};

/** The result of a batch that wrote no correlator outputs. */
export const NOTHING_CORRELATED: BatchResult = { journeys: 0, trainings: 0, orphanVerdicts: 0 };

/** The result of a batch, from what writing its correlator outputs made of them. */
export function resultOf(written: WrittenOutputs): BatchResult {
  return {
    journeys: written.journeys.length,
    trainings: written.trainings.length,
    orphanVerdicts: written.orphanVerdicts,
  };
}

/** Writes batches in the order given; each batch is committed whole or not at all. */
export interface BatchWriter {
  /** Hands a batch over: written now, or queued for the write thread. Throws what failed an earlier batch. */
  write(batch: WriteBatch): void;
  /** Resolves when another batch may be handed over (bounds the batches in flight). */
  ready(): Promise<void>;
  /** Resolves when every batch handed over is committed. */
  settle(): Promise<void>;
  close(): Promise<void>;
}
