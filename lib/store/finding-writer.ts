import type { Db } from "../db/connection.ts";
import { type Evidence, findingKey } from "../detect/types.ts";

const SEVERITY_SQL = `CASE max(CASE severity WHEN 'high' THEN 3 WHEN 'medium' THEN 2 ELSE 1 END)
  WHEN 3 THEN 'high' WHEN 2 THEN 'medium' ELSE 'low' END`;

const REFRESH_SQL = `UPDATE Finding SET
  count = (SELECT count(*) FROM FindingEvidence WHERE findingId = Finding.id),
  firstSeen = coalesce((SELECT min(ts) FROM FindingEvidence WHERE findingId = Finding.id), firstSeen),
  lastSeen = coalesce((SELECT max(ts) FROM FindingEvidence WHERE findingId = Finding.id), lastSeen),
  severity = coalesce((SELECT ${SEVERITY_SQL} FROM FindingEvidence WHERE findingId = Finding.id), severity),
  updatedAt = ?
WHERE id = ?`;

// A finding whose evidence is gone disappears, unless someone acknowledged or muted it.
const DROP_EMPTY_SQL = `DELETE FROM Finding WHERE id = ? AND count = 0
  AND NOT EXISTS (SELECT 1 FROM FindingAudit WHERE findingId = Finding.id)`;

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

// Evidence only added since the last refresh: the aggregates move without reading all evidence
// again (a finding can have tens of thousands). A finding without evidence takes the new values.
const ADD_SQL = `UPDATE Finding SET
  firstSeen = CASE WHEN count = 0 THEN @first ELSE min(firstSeen, @first) END,
  lastSeen = CASE WHEN count = 0 THEN @last ELSE max(lastSeen, @last) END,
  severity = CASE WHEN count = 0 OR @rank > ${RANK_SQL("severity")} THEN @severity ELSE severity END,
  count = count + @added,
  updatedAt = @now
WHERE id = @id`;

/** What happened to a finding's evidence since its aggregates were last brought up to date. */
type Change = {
  removed: boolean;
  added: number;
  first: number;
  last: number;
  rank: number;
  severity: string;
};

/**
 * Writes detector evidence. Evidence is replaced by its ref (a journey seen again replaces what it
 * showed before), and every finding it touches is re-aggregated from its evidence at flush():
 * re-ingesting or re-detecting never counts anything twice.
 */
export class FindingWriter {
  private readonly findIdsByRef;
  private readonly deleteByRef;
  private readonly upsertFinding;
  private readonly insertEvidence;
  private readonly refresh;
  private readonly add;
  private readonly dropEmpty;
  private readonly findIdsByKind;
  private readonly deleteByKind;
  private readonly changes = new Map<number, Change>();

  constructor(
    db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.findIdsByRef = db.prepare(`SELECT DISTINCT findingId AS id FROM FindingEvidence WHERE ref = ?`);
    this.deleteByRef = db.prepare(`DELETE FROM FindingEvidence WHERE ref = ?`);
    this.upsertFinding = db.prepare(
      `INSERT INTO Finding (key, kind, severity, subject, count, firstSeen, lastSeen, updatedAt)
       VALUES (?, ?, ?, ?, 0, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET updatedAt = excluded.updatedAt
       RETURNING id`,
    );
    this.insertEvidence = db.prepare(
      `INSERT INTO FindingEvidence (findingId, ref, ts, severity, messageId, journeyKey, users, recipients, detail, lineIds)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (findingId, ref) DO UPDATE SET ts = excluded.ts, severity = excluded.severity,
         messageId = excluded.messageId, journeyKey = excluded.journeyKey, users = excluded.users,
         recipients = excluded.recipients, detail = excluded.detail, lineIds = excluded.lineIds`,
    );
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
    for (const [id, change] of this.changes) {
      if (change.removed) {
        this.refresh.run(now, id);
        this.dropEmpty.run(id);
      } else {
        this.add.run({ ...change, now, id });
      }
    }
    this.changes.clear();
  }

  private removed(id: number): void {
    const change = this.changes.get(id);
    if (change) change.removed = true;
    else this.changes.set(id, { removed: true, added: 0, first: 0, last: 0, rank: 0, severity: "low" });
  }

  private insert(evidence: readonly Evidence[], replaced: ReadonlySet<string>): void {
    const now = this.now();
    const inserted = new Set<string>();
    for (const e of evidence) {
      const row = this.upsertFinding.get(
        findingKey(e.kind, e.subject),
        e.kind,
        e.severity,
        JSON.stringify(e.subject),
        e.ts,
        e.ts,
        now,
      ) as { id: number };
      this.insertEvidence.run(
        row.id,
        e.ref,
        e.ts,
        e.severity,
        e.messageId,
        e.journeyKey,
        JSON.stringify(e.users),
        JSON.stringify(e.recipients),
        JSON.stringify(e.detail),
        JSON.stringify(e.lineIds),
      );
      // Evidence that may have replaced a row in place (its ref was not cleared first): recount.
      const key = `${row.id}\u001f${e.ref}`;
      if (inserted.has(key) || !replaced.has(e.ref)) this.removed(row.id);
      inserted.add(key);
      const rank = SEVERITY_RANK[e.severity] ?? 1;
      const change = this.changes.get(row.id);
      if (!change) {
        this.changes.set(row.id, {
          removed: false,
          added: 1,
          first: e.ts,
          last: e.ts,
          rank,
          severity: e.severity,
        });
        continue;
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
}
