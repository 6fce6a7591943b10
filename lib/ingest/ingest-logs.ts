import type { Db } from "../db/connection.ts";
import { acquireWriterLock } from "../db/writer-lock.ts";
import { type CorrelationTotals, correlateSink } from "./correlate-sink.ts";
import { type IngestOptions, type IngestSummary, ingest } from "./ingest.ts";

export type IngestLogsOptions = Omit<IngestOptions, "sink"> & {
  localDomains?: readonly string[];
  /** Correlator tuning (tests use a short grace period to exercise late lines). */
  graceMs?: number;
};

/** Ingests log files and follows their messages: lines, journeys, trainings — what `spamtrail ingest` does. */
export async function ingestLogs(
  db: Db,
  paths: readonly string[],
  options: IngestLogsOptions = {},
): Promise<IngestSummary & { correlation: CorrelationTotals }> {
  const release = acquireWriterLock(db.name, "spamtrail ingest");
  try {
    const sink = correlateSink(db, { localDomains: options.localDomains, graceMs: options.graceMs });
    const summary = await ingest(db, paths, { ...options, sink });
    return { ...summary, correlation: sink.totals };
  } finally {
    release();
  }
}
