import type { EffectiveSettings } from "../audit/settings.ts";
import { settingsHash } from "../audit/settings.ts";
import type { AuditResult } from "../audit/types.ts";
import type { Db } from "../db/connection.ts";

export type SavedSnapshot = { id: number; changed: boolean; previousId: number | null };

/**
 * Stores an audit's configuration: a new snapshot when its settings hash differs from the latest
 * one, else only the latest one's seenAt and results are updated (the evidence may have grown).
 */
export function saveConfigSnapshot(
  db: Db,
  input: { settings: EffectiveSettings; results: AuditResult[]; source: string; now: number },
): SavedSnapshot {
  const hash = settingsHash(input.settings);
  const latest = db
    .prepare("SELECT id, hash FROM ConfigSnapshot ORDER BY takenAt DESC, id DESC LIMIT 1")
    .get() as { id: number; hash: string } | undefined;
  const results = JSON.stringify(input.results);
  if (latest?.hash === hash) {
    db.prepare("UPDATE ConfigSnapshot SET seenAt = ?, results = ?, source = ? WHERE id = ?").run(
      input.now,
      results,
      input.source,
      latest.id,
    );
    return { id: latest.id, changed: false, previousId: null };
  }
  const info = db
    .prepare(
      "INSERT INTO ConfigSnapshot (hash, takenAt, seenAt, source, settings, results) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .run(hash, input.now, input.now, input.source, JSON.stringify(input.settings), results);
  return { id: Number(info.lastInsertRowid), changed: true, previousId: latest?.id ?? null };
}
