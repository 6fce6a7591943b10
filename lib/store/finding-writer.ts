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

/**
 * Writes detector evidence. Evidence is replaced by its ref (a journey seen again replaces what it
 * showed before), and every finding it touches is re-aggregated from its evidence: re-ingesting
 * or re-detecting never counts anything twice.
 */
export class FindingWriter {
  private readonly findIdsByRef;
  private readonly deleteByRef;
  private readonly upsertFinding;
  private readonly insertEvidence;
  private readonly refresh;
  private readonly dropEmpty;
  private readonly findIdsByKind;
  private readonly deleteByKind;

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
    this.dropEmpty = db.prepare(DROP_EMPTY_SQL);
    this.findIdsByKind = db.prepare(`SELECT id FROM Finding WHERE kind = ?`);
    this.deleteByKind = db.prepare(
      `DELETE FROM FindingEvidence WHERE findingId IN (SELECT id FROM Finding WHERE kind = ?)`,
    );
  }

  /** Replaces whatever the given refs showed before with `evidence` (which may be empty). */
  replace(refs: Iterable<string>, evidence: readonly Evidence[]): void {
    const touched = new Set<number>();
    for (const ref of refs) {
      for (const row of this.findIdsByRef.all(ref) as { id: number }[]) touched.add(row.id);
      this.deleteByRef.run(ref);
    }
    this.insert(evidence, touched);
    this.refreshAll(touched);
  }

  /** Replaces all evidence of one kind (findings recomputed globally, such as DSPAM user sprawl). */
  replaceKind(kind: string, evidence: readonly Evidence[]): void {
    const touched = new Set<number>((this.findIdsByKind.all(kind) as { id: number }[]).map((r) => r.id));
    this.deleteByKind.run(kind);
    this.insert(evidence, touched);
    this.refreshAll(touched);
  }

  private insert(evidence: readonly Evidence[], touched: Set<number>): void {
    const now = this.now();
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
      touched.add(row.id);
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
    }
  }

  private refreshAll(ids: Set<number>): void {
    const now = this.now();
    for (const id of ids) {
      this.refresh.run(now, id);
      this.dropEmpty.run(id);
    }
  }
}
