import { setTimeout as sleep } from "node:timers/promises";
import type pg from "pg";
import { correlatedThrough, lastStoredLineId } from "../store/postgres/correlation-store.ts";
import { PostgresPipelineStore } from "../store/postgres/pipeline-store.ts";
import type { CorrelationTotals } from "./correlate-sink.ts";
import { CorrelationLeader } from "./correlation-leader.ts";
import { type IngestSummary, ingest } from "./ingest.ts";
import type { IngestLogsOptions } from "./ingest-logs.ts";

// How often an ingest whose lines a running follower correlates looks whether it has.
const WAIT_POLL_MS = 500;

/**
 * `spamtrail ingest` into PostgreSQL: the lines are stored as a follower stores them (several
 * processes may write at once), then correlated by this process as the leader, or, while a
 * follower leads, by that follower: the command returns once its lines are correlated.
 */
export async function ingestLogsPostgres(
  pool: pg.Pool,
  paths: readonly string[],
  options: IngestLogsOptions & { shown?: string; onWait?: (message: string) => void } = {},
): Promise<IngestSummary & { correlation: CorrelationTotals & { byLeader: boolean } }> {
  const summary = await ingest(new PostgresPipelineStore(pool), paths, { ...options, sink: undefined });
  const target = await lastStoredLineId(pool);
  let waited = false;
  for (;;) {
    const leader = await CorrelationLeader.tryLead(pool, {
      localDomains: options.localDomains,
      graceMs: options.graceMs,
      shown: options.shown,
      // Its own lines are all stored: it does not wait for the followers' marks.
      ordered: false,
    });
    if (leader) {
      try {
        await leader.catchUp(true);
        return { ...summary, correlation: { ...leader.totals, byLeader: false } };
      } finally {
        await leader.release();
      }
    }
    if ((await correlatedThrough(pool)) >= target)
      return { ...summary, correlation: { journeys: 0, trainings: 0, orphanVerdicts: 0, byLeader: true } };
    if (!waited) options.onWait?.("a running follower correlates these lines; waiting for it");
    waited = true;
    await sleep(WAIT_POLL_MS);
  }
}
