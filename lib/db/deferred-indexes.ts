import type { Db } from "./connection.ts";
import { writeSearchWords } from "./search-terms.ts";

// Secondary indexes only the dashboard reads: nothing the write path looks up goes through them
// (not JourneyQueue(queueId): lib/correlate/resolve.ts finds the other server's half of a relayed
// message through it, CorrelationLookup.journeysByQueue).
const DEFERRABLE = [
  "Journey_firstTs_idx",
  "Journey_origin_firstTs_idx",
  "Journey_sender_idx",
  "Journey_saslUsername_idx",
  "Journey_recipientSort_firstTs_id_idx",
  "Delivery_recipient_idx",
  "Delivery_destination_ts_idx",
  "Verdict_filterUser_ts_idx",
];
// The message search's triggers (migration search_terms): their words are written for all
// journeys at once at the end (lib/db/search-terms.ts), not row by row into a growing index.
const DEFERRABLE_TRIGGERS = [
  "SearchTerm_delivery_insert",
  "SearchTerm_delivery_delete",
  "SearchTerm_queue_insert",
  "SearchTerm_queue_delete",
  "SearchTerm_journey_insert",
  "SearchTerm_journey_delete",
  "SearchTerm_journey_queued",
  "SearchTerm_journey_update",
];
const SETTING = "deferred-indexes";

/**
 * A first import into an empty database builds the dashboard's indexes and the message search's
 * words once at the end (a sort) instead of keeping them up to date row by row: less than half the
 * work for the journeys' tables. What was dropped is noted in the same transaction, so an import
 * that dies half-way leaves a note the next writer (or migration) acts on. False when there was
 * nothing left to drop.
 */
export function deferIndexes(db: Db, now: number): boolean {
  return db.transaction(() => {
    const rows = db
      .prepare(
        `SELECT type, name, sql FROM sqlite_master WHERE (type = 'index' AND name IN (${marks(DEFERRABLE)}))
           OR (type = 'trigger' AND name IN (${marks(DEFERRABLE_TRIGGERS)}))`,
      )
      .all(...DEFERRABLE, ...DEFERRABLE_TRIGGERS) as { type: string; name: string; sql: string }[];
    if (rows.length === 0) return false;
    const pending = [...rows.map((row) => row.sql), ...pendingIndexes(db)];
    db.prepare(
      `INSERT INTO Setting (key, value, updatedAt) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt`,
    ).run(SETTING, JSON.stringify(pending), now);
    for (const row of rows) db.exec(`DROP ${row.type === "trigger" ? "TRIGGER" : "INDEX"} "${row.name}"`);
    return true;
  })();
}

/** Builds the indexes and search words a deferring import left to build (at its end, or after it died). */
export function restoreIndexes(db: Db): void {
  const pending = pendingIndexes(db);
  if (pending.length === 0) return;
  // The sorts spill to a temporary file and the scans keep a small cache: memory stays flat.
  const cache = Number(db.pragma("cache_size", { simple: true }));
  const temp = Number(db.pragma("temp_store", { simple: true }));
  db.pragma("cache_size = -8192");
  db.pragma("temp_store = FILE");
  try {
    db.transaction(() => {
      const triggers = pending.filter((sql) => /^CREATE TRIGGER /.test(sql));
      for (const sql of pending)
        if (!triggers.includes(sql))
          db.exec(sql.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS "));
      if (triggers.length > 0) writeSearchWords(db);
      for (const sql of triggers) db.exec(sql.replace(/^CREATE TRIGGER /, "CREATE TRIGGER IF NOT EXISTS "));
      db.prepare(`DELETE FROM Setting WHERE key = ?`).run(SETTING);
    })();
  } finally {
    db.pragma(`cache_size = ${cache}`);
    db.pragma(`temp_store = ${temp}`);
  }
}

/** An import deferred indexes and has not built them yet (it is running, or it died). */
export function hasDeferredIndexes(db: Db): boolean {
  return pendingIndexes(db).length > 0;
}

function pendingIndexes(db: Db): string[] {
  const hasSettings = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'Setting'`)
    .get();
  if (!hasSettings) return [];
  const row = db.prepare(`SELECT value FROM Setting WHERE key = ?`).get(SETTING) as
    | { value: string }
    | undefined;
  return row ? (JSON.parse(row.value) as string[]) : [];
}

const marks = (names: readonly string[]) => names.map(() => "?").join(", ");
