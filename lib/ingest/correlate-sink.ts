import type { CorrelatorOptions } from "../correlate/context.ts";
import { Correlator, type CorrelatorSnapshot } from "../correlate/correlator.ts";
import type { Db } from "../db/connection.ts";
import type { Evidence } from "../detect/index.ts";
import { detectLines } from "../detect/index.ts";
import { loadCorrelatorState, storedLinesReader } from "../store/correlator-state.ts";
import {
  type CorrelationBatch,
  REPLAY_LIVE,
  REPLAY_PROVISIONAL,
  type ReplayStep,
} from "../store/write-batch.ts";
import type { LineSink, StoredLine } from "./line-pipeline.ts";
import { storedLine } from "./stored-line.ts";

export type CorrelationTotals = { journeys: number; trainings: number; orphanVerdicts: number };

// Lines handed to the line detectors at a time: few enough to be collected while young.
const LINE_DETECTION_EVERY = 1000;

// A snapshot is taken once the lines fed since the last one hold this many times its size: the
// open state is saved for a fraction of what the lines cost to store, and a restart after a crash
// replays at most that many lines.
const SNAPSHOT_EVERY_STATE_SIZES = 8;
// …and at least this often (batches, and log time), so that what a restart replays stays short on
// a quiet server, and well inside what retention keeps.
const SNAPSHOT_EVERY_STEPS = 256;
const SNAPSHOT_EVERY_MS = 60 * 60_000;
const SNAPSHOT_MIN_BYTES = 64 * 1024;

/**
 * Feeds new lines to the correlator; what it hands out goes into the write batch of those lines,
 * together with what rebuilds its open state — a snapshot now and then, and each batch's step in
 * between: a crash loses neither, and a restart resumes both (the steps since the snapshot are
 * fed again from the stored lines). The store decides against what it holds and runs the
 * detectors when it writes the batch.
 */
export function correlateSink(db: Db, options: CorrelationSinkOptions = {}): CorrelationSink {
  const saved = loadCorrelatorState(db);
  const replay =
    saved && saved.replay.length > 0 ? { steps: saved.replay, read: storedLinesReader(db) } : undefined;
  return correlationSink(saved?.snapshot, { ...options, snapshots: "scheduled" }, replay);
}

export type CorrelationSinkOptions = CorrelatorOptions & {
  /**
   * Following live logs: every batch also writes the messages still in flight, so that they show
   * at once, and a message waiting for late lines of other programs is in progress.
   */
  live?: boolean;
  /**
   * "every-batch" (PostgreSQL's leader saves its position with the state) or "scheduled": a
   * snapshot at the first batch of a run, every few batches and at the end, steps in between.
   */
  snapshots?: "every-batch" | "scheduled";
};

/** Batches committed after the saved snapshot, fed again before new lines. */
export type CorrelationReplay = {
  steps: readonly ReplayStep[];
  read: (first: number, count: number) => Parameters<typeof storedLine>[0][];
};

export type CorrelationSink = LineSink & { totals: CorrelationTotals };

/** correlateSink from a saved state (PostgreSQL's correlating leader loads it itself). */
export function correlationSink(
  saved: CorrelatorSnapshot | undefined,
  options: CorrelationSinkOptions = {},
  replay?: CorrelationReplay,
): CorrelationSink {
  const correlator = new Correlator(options, saved);
  const totals: CorrelationTotals = { journeys: 0, trainings: 0, orphanVerdicts: 0 };
  const live = options.live ?? false;
  const scheduled = options.snapshots === "scheduled";
  const feed = (stored: StoredLine) => {
    const { decoded } = stored;
    if (decoded.ts === null) return;
    correlator.push({
      lineId: stored.id,
      ts: decoded.ts,
      host: decoded.host,
      pid: decoded.pid,
      event: decoded.event.kind === "unrecognised" ? { kind: "other" } : decoded.event,
    });
  };
  // What the batches after the snapshot made of the correlator was written with them: only its
  // state is rebuilt, their outputs are dropped.
  for (const [first, count, flags] of replay?.steps ?? []) {
    if (count > 0) for (const line of replay?.read(first, count) ?? []) feed(storedLine(line));
    const stepLive = (flags & REPLAY_LIVE) !== 0;
    correlator.drain({ provisional: (flags & REPLAY_PROVISIONAL) !== 0, inFlight: stepLive, live: stepLive });
  }
  let lines: StoredLine[] = [];
  let lineEvidence: Evidence[] = [];
  // The lines fed since the last batch (consecutive ids), and since the last snapshot.
  let first = 0;
  let count = 0;
  let contiguous = true;
  let snapshotBytes = 0;
  let bytesSinceSnapshot = 0;
  let stepsSinceSnapshot = Number.POSITIVE_INFINITY;
  let newestTs = Number.NEGATIVE_INFINITY;
  let snapshotTs = Number.NEGATIVE_INFINITY;
  const detect = () => {
    if (lines.length > 0) lineEvidence.push(...detectLines(lines));
    lines = [];
  };
  const snapshotDue = (provisional: boolean) =>
    !scheduled ||
    provisional ||
    !contiguous ||
    stepsSinceSnapshot >= SNAPSHOT_EVERY_STEPS ||
    newestTs - snapshotTs > SNAPSHOT_EVERY_MS ||
    bytesSinceSnapshot >= SNAPSHOT_EVERY_STATE_SIZES * Math.max(snapshotBytes, SNAPSHOT_MIN_BYTES);
  const batch = (provisional: boolean): CorrelationBatch => {
    const outputs = correlator.drain({ provisional, inFlight: live, live });
    detect();
    const evidence = lineEvidence;
    lineEvidence = [];
    const step: ReplayStep = [
      first,
      count,
      (provisional ? REPLAY_PROVISIONAL : 0) | (live ? REPLAY_LIVE : 0),
    ];
    let snapshot: string | null = null;
    if (snapshotDue(provisional)) {
      snapshot = correlator.serialize();
      snapshotBytes = snapshot.length;
      bytesSinceSnapshot = 0;
      stepsSinceSnapshot = 0;
      snapshotTs = newestTs;
    } else {
      stepsSinceSnapshot += 1;
    }
    first = 0;
    count = 0;
    contiguous = true;
    return {
      outputs,
      snapshot,
      step,
      lineEvidence: evidence,
      localDomains: correlator.localDomains(),
      global: provisional,
    };
  };
  return {
    totals,
    line(stored) {
      lines.push(stored);
      if (lines.length >= LINE_DETECTION_EVERY) detect();
      if (count === 0) first = stored.id;
      else if (stored.id !== first + count) contiguous = false;
      count += 1;
      bytesSinceSnapshot += stored.raw.text.length;
      if (stored.decoded.ts !== null && stored.decoded.ts > newestTs) newestTs = stored.decoded.ts;
      feed(stored);
    },
    batch: () => batch(false),
    end: () => batch(true),
    committed(result) {
      totals.journeys += result.journeys;
      totals.trainings += result.trainings;
      totals.orphanVerdicts += result.orphanVerdicts;
    },
  };
}
