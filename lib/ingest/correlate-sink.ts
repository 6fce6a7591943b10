import type { CorrelatorOptions } from "../correlate/context.ts";
import { Correlator, type CorrelatorSnapshot } from "../correlate/correlator.ts";
import type { Db } from "../db/connection.ts";
import type { Evidence } from "../detect/index.ts";
import { detectLines } from "../detect/index.ts";
import { loadCorrelatorState } from "../store/correlator-state.ts";
import type { CorrelationBatch } from "../store/write-batch.ts";
import type { LineSink, StoredLine } from "./line-pipeline.ts";

export type CorrelationTotals = { journeys: number; trainings: number; orphanVerdicts: number };

// Lines handed to the line detectors at a time: few enough to be collected while young.
const LINE_DETECTION_EVERY = 1000;

/**
 * Feeds new lines to the correlator; what it hands out goes into the write batch of those lines,
 * together with its open state: a crash loses neither, and a restart resumes both. The store
 * decides against what it holds and runs the detectors when it writes the batch.
 */
export function correlateSink(db: Db, options: CorrelationSinkOptions = {}): CorrelationSink {
  return correlationSink(loadCorrelatorState(db), options);
}

export type CorrelationSinkOptions = CorrelatorOptions & {
  /**
   * Following live logs: every batch also writes the messages still in flight, so that they show
   * at once, and a message waiting for late lines of other programs is in progress.
   */
  live?: boolean;
};

export type CorrelationSink = LineSink & { totals: CorrelationTotals };

/** correlateSink from a saved state (PostgreSQL's correlating leader loads it itself). */
export function correlationSink(
  saved: CorrelatorSnapshot | undefined,
  options: CorrelationSinkOptions = {},
): CorrelationSink {
  const correlator = new Correlator(options, saved);
  const totals: CorrelationTotals = { journeys: 0, trainings: 0, orphanVerdicts: 0 };
  const live = options.live ?? false;
  let lines: StoredLine[] = [];
  let lineEvidence: Evidence[] = [];
  const detect = () => {
    if (lines.length > 0) lineEvidence.push(...detectLines(lines));
    lines = [];
  };
  const batch = (provisional: boolean): CorrelationBatch => {
    const outputs = correlator.drain({ provisional, inFlight: live, live });
    for (const output of outputs) if (output.type === "orphan-verdict") totals.orphanVerdicts += 1;
    detect();
    const evidence = lineEvidence;
    lineEvidence = [];
    return {
      outputs,
      snapshot: correlator.serialize(),
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
      const { decoded } = stored;
      if (decoded.ts === null) return;
      correlator.push({
        lineId: stored.id,
        ts: decoded.ts,
        host: decoded.host,
        pid: decoded.pid,
        event: decoded.event.kind === "unrecognised" ? { kind: "other" } : decoded.event,
      });
    },
    batch: () => batch(false),
    end: () => batch(true),
    committed(result) {
      totals.journeys += result.journeys;
      totals.trainings += result.trainings;
    },
  };
}
