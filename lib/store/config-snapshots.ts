import type { EffectiveSettings } from "../audit/settings.ts";
import { settingsHash } from "../audit/settings.ts";
import type { AuditResult } from "../audit/types.ts";
import type { Db } from "../db/connection.ts";

export type SavedSnapshot = { id: number; changed: boolean; previousId: number | null };

export type SnapshotInput = {
  settings: EffectiveSettings;
  results: AuditResult[];
  source: string;
  now: number;
};

/** A snapshot's columns as both databases store them (settings and results as JSON). */
export function snapshotColumns(input: SnapshotInput) {
  return {
    hash: settingsHash(input.settings),
    settings: JSON.stringify(input.settings),
    results: JSON.stringify(input.results),
  };
}

/**
 * Stores an audit's configuration: a new snapshot when its settings hash differs from the latest
 * one, else only the latest one's seenAt and results are updated (the evidence may have grown).
 * lib/store/postgres/config-snapshots.ts does the same on PostgreSQL.
 */
export function saveConfigSnapshot(db: Db, input: SnapshotInput): SavedSnapshot {
  const { hash, settings, results } = snapshotColumns(input);
  const latest = db
    .prepare("SELECT id, hash FROM ConfigSnapshot ORDER BY takenAt DESC, id DESC LIMIT 1")
    .get() as { id: number; hash: string } | undefined;
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
    .run(hash, input.now, input.now, input.source, settings, results);
  return { id: Number(info.lastInsertRowid), changed: true, previousId: latest?.id ?? null };
}
