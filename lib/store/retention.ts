import type { Db } from "../db/connection.ts";
import { refreshFindings } from "./finding-writer.ts";

export type PruneCounts = {
  evidence: number;
  trainings: number;
  journeys: number;
  verdicts: number;
  stores: number;
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
 * Retention's statements, written once for both databases (quoted names, `?` in order; times as
 * the database binds them): each deletes at most `n` rows older than a cutoff.
 */
export function pruneSql(n: number) {
  const deleteWhere = (table: string, where: string) =>
    `DELETE FROM "${table}" WHERE "id" IN (SELECT "id" FROM "${table}" WHERE ${where} LIMIT ${n})`;
  return {
    evidence: `SELECT "id", "findingId" FROM "FindingEvidence" WHERE "ts" < ? LIMIT ${n}`,
    trainings: deleteWhere("Training", `"ts" < ?`),
    journeys: deleteWhere("Journey", `"firstTs" < ? AND "lastTs" < ?`),
    verdicts: deleteWhere("Verdict", `"journeyId" IS NULL AND "ts" < ?`),
    // Dovecot's stores that no delivery took within the retention window never will.
    stores: `DELETE FROM "DovecotStore" WHERE "lineId" IN (SELECT "lineId" FROM "DovecotStore" WHERE "ts" < ? LIMIT ${n})`,
    oldestJourney: `SELECT min("firstTs") AS "ts" FROM "Journey"`,
    keys: `DELETE FROM "LineKey" WHERE "key" IN (SELECT "key" FROM "LineKey" WHERE "key" < ? LIMIT ${n})`,
    // Args (second, through): PostgreSQL's leader may not have correlated the newest lines yet.
    blocks: `SELECT "id", "count" FROM "LineBlock" WHERE "lastSecond" < ? AND "id" + "count" - 1 <= ? LIMIT ${n}`,
    deleteBlock: `DELETE FROM "LineBlock" WHERE "id" = ?`,
    deleteIssues: `DELETE FROM "LineIssue" WHERE "lineId" >= ? AND "lineId" < ?`,
  };
}

/**
 * Lines are deleted only when older than every journey kept, so a kept message's drill-down stays
 * whole: the second (epoch seconds) below which they go, given the oldest journey's first time.
 */
export function lineBound(cutoff: number, oldestJourney: number | null): number {
  const bound = Math.min(cutoff, oldestJourney === null ? cutoff : oldestJourney - LINE_MARGIN_MS);
  return Math.max(0, Math.floor(bound / 1000));
}

/** LineKey.key starts with the line's second (big-endian): the key table is ordered by time. */
export function lineKeyBound(second: number): Buffer {
  const key = Buffer.alloc(4);
  key.writeUInt32BE(second);
  return key;
}

/**
 * Deletes what is older than a cutoff, in small transactions so that the dashboard and follow's
 * writes go on in between: finding evidence (findings re-aggregated, emptied ones dropped unless
 * someone acted on them), retrainings, journeys by their last line (their queues, deliveries and
 * verdicts with them), verdicts no journey claimed, Dovecot's stores no delivery took, then raw
 * lines — only those older than every journey kept. Sources are kept: they remember which
 * files were read, so an old rotation is not read again. PostgreSQL's: lib/store/postgres/retention.ts.
 */
export class Pruner {
  readonly counts: PruneCounts = { evidence: 0, trainings: 0, journeys: 0, verdicts: 0, stores: 0, lines: 0 };
  private phase = 0;
  private readonly phases: (() => number)[];

  constructor(
    private readonly db: Db,
    cutoff: number,
    private readonly options: { batchRows?: number; now?: () => number } = {},
  ) {
    const sql = pruneSql(options.batchRows ?? 1000);
    const evidence = db.prepare(sql.evidence);
    const deleteEvidence = db.prepare(`DELETE FROM FindingEvidence WHERE id = ?`);
    const trainings = db.prepare(sql.trainings);
    const journeys = db.prepare(sql.journeys);
    const verdicts = db.prepare(sql.verdicts);
    const stores = db.prepare(sql.stores);
    const oldestJourney = db.prepare(sql.oldestJourney);
    const keys = db.prepare(sql.keys);
    const blocks = db.prepare(sql.blocks);
    const deleteBlock = db.prepare(sql.deleteBlock);
    const deleteIssues = db.prepare(sql.deleteIssues);
    let bound: number | undefined;
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
      () => this.add("stores", stores.run(cutoff).changes),
      () => {
        bound ??= lineBound(cutoff, (oldestJourney.get() as { ts: number | null }).ts);
        const deleted = keys.run(lineKeyBound(bound)).changes;
        // A block goes once all its lines are older.
        const old = blocks.all(bound, Number.MAX_SAFE_INTEGER) as { id: number; count: number }[];
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
