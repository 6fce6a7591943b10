import type { CorrelatorOptions } from "../correlate/context.ts";
import { Correlator } from "../correlate/correlator.ts";
import type { Db } from "../db/connection.ts";
import { loadCorrelatorState, saveCorrelatorState } from "../store/correlator-state.ts";
import { JourneyWriter, type WrittenOutputs } from "../store/journey-writer.ts";
import type { LineSink, StoredLine } from "./line-pipeline.ts";

export type CorrelationTotals = { journeys: number; trainings: number; orphanVerdicts: number };

/**
 * Feeds new lines to the correlator and writes what it hands out, in the transaction that stores
 * the lines, together with its open state: a crash loses neither, and a restart resumes both.
 */
export function correlateSink(
  db: Db,
  options: CorrelatorOptions & { now?: () => number; onWritten?: (written: WrittenOutputs) => void } = {},
): LineSink & { totals: CorrelationTotals } {
  const correlator = new Correlator(options, loadCorrelatorState(db));
  const writer = new JourneyWriter(db);
  const now = options.now ?? Date.now;
  const totals: CorrelationTotals = { journeys: 0, trainings: 0, orphanVerdicts: 0 };
  const write = (provisional: boolean) => {
    const outputs = correlator.drain({ provisional });
    const written = writer.apply(outputs);
    totals.journeys += written.journeys.length;
    totals.trainings += written.trainings.length;
    totals.orphanVerdicts += outputs.filter((o) => o.type === "orphan-verdict").length;
    options.onWritten?.(written);
    saveCorrelatorState(db, correlator.snapshot(), now());
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
      write(false);
    },
    end() {
      write(true);
    },
  };
}
