import type { CorrelatorOptions } from "../correlate/context.ts";
import { Correlator } from "../correlate/correlator.ts";
import type { Db } from "../db/connection.ts";
import { loadCorrelatorState, saveCorrelatorState } from "../store/correlator-state.ts";
import { JourneyWriter } from "../store/journey-writer.ts";
import { Detection } from "./detection.ts";
import type { LineSink, StoredLine } from "./line-pipeline.ts";

export type CorrelationTotals = { journeys: number; trainings: number; orphanVerdicts: number };

/**
 * Feeds new lines to the correlator, writes what it hands out and runs the detectors on it, in the
 * transaction that stores the lines, together with the correlator's open state: a crash loses
 * neither, and a restart resumes both.
 */
export function correlateSink(
  db: Db,
  options: CorrelatorOptions & {
    now?: () => number;
    /**
     * Following live logs: every batch also writes the messages still in flight, so that they show
     * at once, and a message waiting for late lines of other programs is in progress.
     */
    live?: boolean;
  } = {},
): LineSink & { totals: CorrelationTotals } {
  const correlator = new Correlator(options, loadCorrelatorState(db));
  const writer = new JourneyWriter(db);
  const now = options.now ?? Date.now;
  const detection = new Detection(db, () => correlator.localDomains(), now);
  db.transaction(() => detection.redetectIfChanged())();
  const totals: CorrelationTotals = { journeys: 0, trainings: 0, orphanVerdicts: 0 };
  const live = options.live ?? false;
  const write = (provisional: boolean) => {
    const outputs = correlator.drain({ provisional, inFlight: live, live });
    const written = writer.apply(outputs);
    totals.journeys += written.journeys.length;
    totals.trainings += written.trainings.length;
    totals.orphanVerdicts += outputs.filter((o) => o.type === "orphan-verdict").length;
    detection.written(written);
    saveCorrelatorState(db, correlator.serialize(), now());
  };
  return {
    totals,
    lines(stored: StoredLine[]) {
      for (const line of stored) {
        if (line.decoded.ts === null) continue;
        correlator.push({
          lineId: line.id,
          ts: line.decoded.ts,
          host: line.decoded.host,
          pid: line.decoded.pid,
          event: line.decoded.event.kind === "unrecognised" ? { kind: "other" } : line.decoded.event,
        });
      }
      detection.lines(stored);
      write(false);
    },
    end() {
      write(true);
      detection.recomputeGlobal();
    },
  };
}
