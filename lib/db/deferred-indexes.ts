import type { Db } from "./connection.ts";

// Secondary indexes only the dashboard reads: nothing the write path looks up goes through them.
const DEFERRABLE = [
  "Journey_firstTs_idx",
  "Journey_origin_firstTs_idx",
  "Journey_sender_idx",
  "Journey_saslUsername_idx",
  "Journey_recipientSort_firstTs_id_idx",
  "JourneyQueue_queueId_idx",
  "Delivery_recipient_idx",
  "Delivery_destination_ts_idx",
  "Verdict_dspamUser_ts_idx",
];
const SETTING = "deferred-indexes";

/**
 * A first import into an empty database builds the dashboard's indexes once at the end (a sort)
 * instead of keeping them up to date row by row: a third less work for the journeys' tables. What
 * was dropped is noted in the same transaction, so an import that dies half-way leaves a note the
 * next writer (or migration) acts on.
 */
export function deferIndexes(db: Db, now: number): void {
  db.transaction(() => {
    const rows = db
      .prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'index' AND name IN (${DEFERRABLE.map(() => "?").join(", ")})`,
      )
      .all(...DEFERRABLE) as { name: string; sql: string }[];
    if (rows.length === 0) return;
    const pending = [...rows.map((row) => row.sql), ...pendingIndexes(db)];
    db.prepare(
      `INSERT INTO Setting (key, value, updatedAt) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt`,
    ).run(SETTING, JSON.stringify(pending), now);
    for (const row of rows) db.exec(`DROP INDEX "${row.name}"`);
  })();
}

/** Builds the indexes a deferring import left to build (at its end, or after it died). */
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
      for (const sql of pending)
        db.exec(sql.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS "));
      db.prepare(`DELETE FROM Setting WHERE key = ?`).run(SETTING);
    })();
  } finally {
    db.pragma(`cache_size = ${cache}`);
    db.pragma(`temp_store = ${temp}`);
  }
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
