import type { Db } from "../db/connection.ts";
import { refreshFindings } from "./finding-writer.ts";

export type PruneCounts = {
  evidence: number;
  trainings: number;
  journeys: number;
  verdicts: number;
  lines: number;
};

/** The retention window when none is configured. */
export const DEFAULT_RETENTION_DAYS = 90;
const DAY_MS = 86_400_000;
// Lines a kept journey points at may be a little older than its first Postfix line (DSPAM, Dovecot).
const LINE_MARGIN_MS = 3_600_000;

/** The oldest time kept by a window of `days` days. */
export const retentionCutoff = (days: number, now: number) => now - days * DAY_MS;

/**
 * Deletes what is older than a cutoff, in small transactions so that the dashboard and follow's
 * writes go on in between: finding evidence (findings re-aggregated, emptied ones dropped unless
 * someone acted on them), retrainings, journeys by their last line (their queues, deliveries and
 * verdicts with them), verdicts no journey claimed, then raw lines — only those older than every
 * journey kept, so a kept message's drill-down stays whole. Sources are kept: they remember which
 * files were read, so an old rotation is not read again.
 */
export class Pruner {
  readonly counts: PruneCounts = { evidence: 0, trainings: 0, journeys: 0, verdicts: 0, lines: 0 };
  private phase = 0;
  private readonly phases: (() => number)[];

  constructor(
    private readonly db: Db,
    cutoff: number,
    private readonly options: { batchRows?: number; now?: () => number } = {},
  ) {
    const n = options.batchRows ?? 1000;
    const deleteWhere = (table: string, where: string) =>
      db.prepare(`DELETE FROM ${table} WHERE id IN (SELECT id FROM ${table} WHERE ${where} LIMIT ${n})`);
    const trainings = deleteWhere("Training", "ts < ?");
    const journeys = deleteWhere("Journey", "firstTs < ? AND lastTs < ?");
    const verdicts = deleteWhere("Verdict", "journeyId IS NULL AND ts < ?");
    const keys = db.prepare(
      `DELETE FROM LineKey WHERE key IN (SELECT key FROM LineKey WHERE key < ? LIMIT ${n})`,
    );
    const blocks = db.prepare(`SELECT id, count FROM LineBlock WHERE lastSecond < ? LIMIT ${n}`);
    const deleteBlock = db.prepare(`DELETE FROM LineBlock WHERE id = ?`);
    const deleteIssues = db.prepare(`DELETE FROM LineIssue WHERE lineId >= ? AND lineId < ?`);
    const evidence = db.prepare(`SELECT id, findingId FROM FindingEvidence WHERE ts < ? LIMIT ${n}`);
    const deleteEvidence = db.prepare(`DELETE FROM FindingEvidence WHERE id = ?`);
    const oldestJourney = db.prepare(`SELECT min(firstTs) AS ts FROM Journey`);
    let lineBound: number | undefined;
    this.phases = [
      () => {
        const rows = evidence.all(cutoff) as { id: number; findingId: number }[];
        for (const row of rows) deleteEvidence.run(row.id);
        refreshFindings(db, new Set(rows.map((row) => row.findingId)), this.now());
        return this.add("evidence", rows.length);
      },
      () => this.add("trainings", trainings.run(cutoff).changes),
      () => this.add("journeys", journeys.run(cutoff, cutoff).changes),
      () => this.add("verdicts", verdicts.run(cutoff).changes),
      () => {
        if (lineBound === undefined) {
          const oldest = (oldestJourney.get() as { ts: number | null }).ts;
          const bound = Math.min(cutoff, oldest === null ? cutoff : oldest - LINE_MARGIN_MS);
          lineBound = Math.max(0, Math.floor(bound / 1000));
        }
        // LineKey.key starts with the line's second (big-endian): the key table is ordered by time.
        const keyBound = Buffer.alloc(4);
        keyBound.writeUInt32BE(lineBound);
        const deleted = keys.run(keyBound).changes;
        // A block goes once all its lines are older.
        const old = blocks.all(lineBound) as { id: number; count: number }[];
        for (const block of old) {
          deleteIssues.run(block.id, block.id + block.count);
          deleteBlock.run(block.id);
        }
        return this.add("lines", deleted) + old.length;
      },
    ];
  }

  /** Deletes one batch in one transaction; false once nothing older than the cutoff is left. */
  step(): boolean {
    while (this.phase < this.phases.length) {
      const phase = this.phases[this.phase] as () => number;
      if (this.db.transaction(phase)() > 0) return true;
      this.phase += 1;
    }
    return false;
  }

  private add(kind: keyof PruneCounts, deleted: number): number {
    this.counts[kind] += deleted;
    return deleted;
  }

  private now(): number {
    return (this.options.now ?? Date.now)();
  }
}

/** Prunes everything older than the cutoff; `runStep` runs each transaction (follow: between its own batches). */
export async function prune(
  db: Db,
  cutoff: number,
  options: {
    batchRows?: number;
    now?: () => number;
    runStep?: (step: () => boolean) => Promise<boolean>;
  } = {},
): Promise<PruneCounts> {
  const pruner = new Pruner(db, cutoff, options);
  const runStep =
    options.runStep ??
    ((step: () => boolean) => new Promise<boolean>((resolve) => setImmediate(() => resolve(step()))));
  while (await runStep(() => pruner.step())) {}
  return pruner.counts;
}
