import type { Db } from "../db/connection.ts";
import { type Evidence, findingKey } from "../detect/types.ts";

// The aggregate statements, written once for SQLite and PostgreSQL (quoted names, `?` in order:
// lib/store/postgres/finding-writer.ts numbers them).
const SEVERITY_SQL = `CASE max(CASE "severity" WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)
  WHEN 3 THEN 'high' WHEN 2 THEN 'medium' ELSE 'low' END`;

/** Recounts the findings `ids` names (`= ?`, or PostgreSQL's `= ANY(?)`) from their evidence: args (now, ids). */
export const refreshSql = (ids = "= ?") => `UPDATE "Finding" SET
  "count" = (SELECT count(*) FROM "FindingEvidence" WHERE "findingId" = "Finding"."id"),
  "firstSeen" = coalesce((SELECT min("ts") FROM "FindingEvidence" WHERE "findingId" = "Finding"."id"), "firstSeen"),
  "lastSeen" = coalesce((SELECT max("ts") FROM "FindingEvidence" WHERE "findingId" = "Finding"."id"), "lastSeen"),
  "severity" = coalesce((SELECT ${SEVERITY_SQL} FROM "FindingEvidence" WHERE "findingId" = "Finding"."id"), "severity"),
  "updatedAt" = ?
WHERE "id" ${ids}`;
export const REFRESH_SQL = refreshSql();

/** A finding whose evidence is gone disappears, unless someone acknowledged or muted it: args (ids). */
export const dropEmptySql = (ids = "= ?") => `DELETE FROM "Finding" WHERE "id" ${ids} AND "count" = 0
  AND NOT EXISTS (SELECT 1 FROM "FindingAudit" WHERE "findingId" = "Finding"."id")`;
export const DROP_EMPTY_SQL = dropEmptySql();

/** Re-aggregates findings from their evidence (after evidence was deleted elsewhere, e.g. by retention). */
export function refreshFindings(db: Db, ids: Iterable<number>, now: number): void {
  const refresh = db.prepare(REFRESH_SQL);
  const dropEmpty = db.prepare(DROP_EMPTY_SQL);
  for (const id of ids) {
    refresh.run(now, id);
    dropEmpty.run(id);
  }
}

const SEVERITY_RANK: Record<string, number> = { low: 1, medium: 2, high: 3 };
const RANK_SQL = (column: string) => `CASE ${column} WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END`;

/** The values addSql sets a finding's aggregates from: `?` (in addArgs' order) or named columns. */
type AddValues = { first: string; last: string; rank: string; severity: string; added: string; now: string };
const POSITIONAL: AddValues = { first: "?", last: "?", rank: "?", severity: "?", added: "?", now: "?" };

/**
 * Evidence only added since the last refresh: the aggregates move without reading all evidence
 * again (a finding can have tens of thousands). A finding without evidence takes the new values.
 * `least`/`greatest`: SQLite's min/max of two values, or PostgreSQL's.
 */
export const addSet = (least: string, greatest: string, v: AddValues = POSITIONAL) => `
  "firstSeen" = CASE WHEN "count" = 0 THEN ${v.first} ELSE ${least}("firstSeen", ${v.first}) END,
  "lastSeen" = CASE WHEN "count" = 0 THEN ${v.last} ELSE ${greatest}("lastSeen", ${v.last}) END,
  "severity" = CASE WHEN "count" = 0 OR ${v.rank} > ${RANK_SQL(`"severity"`)} THEN ${v.severity} ELSE "severity" END,
  "count" = "count" + ${v.added},
  "updatedAt" = ${v.now}`;

/** addSet for one finding: args addArgs(). */
export const addSql = (least: string, greatest: string) =>
  `UPDATE "Finding" SET ${addSet(least, greatest)}\nWHERE "id" = ?`;

/** addSql's arguments, times as the database binds them. */
export function addArgs<T>(id: number, change: Change, now: number, time: (ms: number) => T): unknown[] {
  const first = time(change.first);
  const last = time(change.last);
  return [first, first, last, last, change.rank, change.severity, change.added, time(now), id];
}

const ADD_SQL = addSql("min", "max");

/** What happened to a finding's evidence since its aggregates were last brought up to date. */
export type Change = {
  removed: boolean;
  added: number;
  first: number;
  last: number;
  rank: number;
  severity: string;
};

/** The findings touched since the last flush and how: both databases' writers keep them so. */
export class FindingChanges {
  readonly byId = new Map<number, Change>();

  removed(id: number): void {
    const change = this.byId.get(id);
    if (change) change.removed = true;
    else this.byId.set(id, { removed: true, added: 0, first: 0, last: 0, rank: 0, severity: "low" });
  }

  /**
   * Evidence `e` written for finding `id` (`inserted`: the finding/ref pairs written since the
   * refs were cleared; `replaced`: the refs cleared first).
   */
  added(id: number, e: Evidence, inserted: Set<string>, replaced: ReadonlySet<string>): void {
    // Evidence that may have replaced a row in place (its ref was not cleared first): recount.
    const key = `${id}\u001f${e.ref}`;
    if (inserted.has(key) || !replaced.has(e.ref)) this.removed(id);
    inserted.add(key);
    const rank = SEVERITY_RANK[e.severity] ?? 1;
    const change = this.byId.get(id);
    if (!change) {
      this.byId.set(id, { removed: false, added: 1, first: e.ts, last: e.ts, rank, severity: e.severity });
      return;
    }
    change.added += 1;
    change.first = Math.min(change.first, e.ts);
    change.last = Math.max(change.last, e.ts);
    if (rank > change.rank) {
      change.rank = rank;
      change.severity = e.severity;
    }
  }
}

/**
 * The finding of evidence `e`, created if new (its aggregates follow at flush), and the evidence,
 * replacing what the same ref showed: columns in the order of findingArgs() and evidenceArgs(), and
 * what a row written again does (SQLite's statements below, PostgreSQL's multi-row ones).
 */
export const FINDING_TABLES = {
  finding: {
    table: "Finding",
    columns: ["key", "kind", "severity", "subject", "count", "firstSeen", "lastSeen", "updatedAt"],
    conflict: `ON CONFLICT ("key") DO UPDATE SET "updatedAt" = excluded."updatedAt"`,
  },
  evidence: {
    table: "FindingEvidence",
    columns: [
      "findingId",
      "ref",
      "ts",
      "severity",
      "messageId",
      "journeyKey",
      "users",
      "recipients",
      "detail",
      "lineIds",
    ],
    conflict: `ON CONFLICT ("findingId", "ref") DO UPDATE SET "ts" = excluded."ts", "severity" = excluded."severity",
    "messageId" = excluded."messageId", "journeyKey" = excluded."journeyKey", "users" = excluded."users",
    "recipients" = excluded."recipients", "detail" = excluded."detail", "lineIds" = excluded."lineIds"`,
  },
} as const;

const insertOne = ({ table, columns, conflict }: (typeof FINDING_TABLES)[keyof typeof FINDING_TABLES]) =>
  `INSERT INTO "${table}" (${columns.map((c) => `"${c}"`).join(", ")}) VALUES (${columns.map(() => "?").join(", ")}) ${conflict}`;
export const UPSERT_FINDING_SQL = `${insertOne(FINDING_TABLES.finding)} RETURNING "id"`;
export const INSERT_EVIDENCE_SQL = insertOne(FINDING_TABLES.evidence);

const asMs = (ms: number) => ms;

export function findingArgs(e: Evidence, now: number, time: (ms: number) => unknown): unknown[] {
  return [
    findingKey(e.kind, e.subject),
    e.kind,
    e.severity,
    JSON.stringify(e.subject),
    0,
    time(e.ts),
    time(e.ts),
    time(now),
  ];
}

export function evidenceArgs(findingId: number, e: Evidence, time: (ms: number) => unknown): unknown[] {
  return [
    findingId,
    e.ref,
    time(e.ts),
    e.severity,
    e.messageId,
    e.journeyKey,
    JSON.stringify(e.users),
    JSON.stringify(e.recipients),
    JSON.stringify(e.detail),
    JSON.stringify(e.lineIds),
  ];
}

/** Where the detection's evidence goes (SQLite's FindingWriter, PostgreSQL's recording one). */
export interface EvidenceSink {
  replace(refs: Iterable<string>, evidence: readonly Evidence[]): void;
  replaceKind(kind: string, evidence: readonly Evidence[]): void;
}

/**
 * Writes detector evidence. Evidence is replaced by its ref (a journey seen again replaces what it
 * showed before), and every finding it touches is re-aggregated from its evidence at flush():
 * re-ingesting or re-detecting never counts anything twice.
 */
export class FindingWriter implements EvidenceSink {
  private readonly findIdsByRef;
  private readonly deleteByRef;
  private readonly upsertFinding;
  private readonly insertEvidence;
  private readonly refresh;
  private readonly add;
  private readonly dropEmpty;
  private readonly findIdsByKind;
  private readonly deleteByKind;
  private readonly changes = new FindingChanges();

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.findIdsByRef = db.prepare(`SELECT DISTINCT findingId AS id FROM FindingEvidence WHERE ref = ?`);
    this.deleteByRef = db.prepare(`DELETE FROM FindingEvidence WHERE ref = ?`);
    this.upsertFinding = db.prepare(UPSERT_FINDING_SQL);
    this.insertEvidence = db.prepare(INSERT_EVIDENCE_SQL);
    this.refresh = db.prepare(REFRESH_SQL);
    this.add = db.prepare(ADD_SQL);
    this.dropEmpty = db.prepare(DROP_EMPTY_SQL);
    this.findIdsByKind = db.prepare(`SELECT id FROM Finding WHERE kind = ?`);
    this.deleteByKind = db.prepare(
      `DELETE FROM FindingEvidence WHERE findingId IN (SELECT id FROM Finding WHERE kind = ?)`,
    );
  }

  /** Replaces whatever the given refs showed before with `evidence` (which may be empty). */
  replace(refs: Iterable<string>, evidence: readonly Evidence[]): void {
    const replaced = new Set<string>();
    for (const ref of refs) {
      replaced.add(ref);
      for (const row of this.findIdsByRef.all(ref) as { id: number }[]) this.removed(row.id);
      this.deleteByRef.run(ref);
    }
    this.insert(evidence, replaced);
  }

  /** Replaces all evidence of one kind (findings recomputed globally, such as DSPAM user sprawl). */
  replaceKind(kind: string, evidence: readonly Evidence[]): void {
    for (const row of this.findIdsByKind.all(kind) as { id: number }[]) this.removed(row.id);
    this.deleteByKind.run(kind);
    this.insert(evidence, new Set());
  }

  /** Brings the aggregates of the findings touched since the last flush up to date with their evidence. */
  flush(): void {
    const now = this.now();
    for (const [id, change] of this.changes.byId) {
      if (change.removed) {
        this.refresh.run(now, id);
        this.dropEmpty.run(id);
      } else {
        this.add.run(addArgs(id, change, now, (ms) => ms));
      }
    }
    this.changes.byId.clear();
  }

  private removed(id: number): void {
    this.changes.removed(id);
  }

  private insert(evidence: readonly Evidence[], replaced: ReadonlySet<string>): void {
    const now = this.now();
    const inserted = new Set<string>();
    for (const e of evidence) {
      const row = this.upsertFinding.get(findingArgs(e, now, asMs)) as { id: number };
      this.insertEvidence.run(evidenceArgs(row.id, e, asMs));
      this.changes.added(row.id, e, inserted, replaced);
    }
  }
}
