import type { Db } from "./connection.ts";
import { writeSearchWords } from "./search-terms.ts";
import { withSpillingSorts } from "./spilling-sorts.ts";

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
// The message search's triggers (migration search_terms): an import on a write thread writes the
// words at once (lib/db/search-terms.ts), not row by row: a first import those of every journey at
// its end, a later one those of the journeys it wrote at its end.
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

/** What an import dropped, noted in the same transaction (the Setting row's JSON). */
type Note = {
  /** The dropped indexes' and triggers' SQL, to create them again. */
  sql: string[];
  /** The import did not wait for the disk (a first import): the file may be damaged if the machine stopped. */
  unsynced: boolean;
  /**
   * Who writes the search words of the journeys the import wrote: the restore at its end, for all
   * journeys (a first import), or the import's write thread itself (a later import).
   */
  wordsBy: "restore" | "import";
  /** The import's write thread has written them all (its last transaction says so). */
  wordsDone: boolean;
};

/**
 * A first import into an empty database builds the dashboard's indexes and the message search's
 * words once at its end (a sort) instead of keeping them up to date row by row: less than half the
 * work for the journeys' tables. A later import on a write thread drops only the search triggers
 * and writes the words itself (`wordsBy: "import"`; lib/db/search-terms.ts, SearchWordsKeeper).
 * What was dropped is noted in the same transaction, so an import that dies half-way leaves a note
 * the next writer (or migration) acts on. False when there was nothing left to drop.
 */
export function deferIndexes(
  db: Db,
  now: number,
  {
    indexes = true,
    unsynced = indexes,
    wordsBy = indexes ? "restore" : "import",
  }: { indexes?: boolean; unsynced?: boolean; wordsBy?: Note["wordsBy"] } = {},
): boolean {
  return db.transaction(() => {
    const deferred = indexes ? DEFERRABLE : [];
    const rows = db
      .prepare(
        `SELECT type, name, sql FROM sqlite_master WHERE (type = 'index' AND name IN (${marks(deferred)}))
           OR (type = 'trigger' AND name IN (${marks(DEFERRABLE_TRIGGERS)}))`,
      )
      .all(...deferred, ...DEFERRABLE_TRIGGERS) as { type: string; name: string; sql: string }[];
    if (rows.length === 0) return false;
    const earlier = pendingNote(db);
    const note: Note = {
      sql: [...rows.map((row) => row.sql), ...(earlier?.sql ?? [])],
      unsynced: unsynced || (earlier?.unsynced ?? false),
      // Words an earlier import left unwritten are written by the restore, for all journeys.
      wordsBy: earlier ? "restore" : wordsBy,
      wordsDone: false,
    };
    db.prepare(
      `INSERT INTO Setting (key, value, updatedAt) VALUES (?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET value = excluded.value, updatedAt = excluded.updatedAt`,
    ).run(SETTING, JSON.stringify(note), now);
    for (const row of rows) db.exec(`DROP ${row.type === "trigger" ? "TRIGGER" : "INDEX"} "${row.name}"`);
    return true;
  })();
}

/** A later import on a write thread dropped the search triggers and writes the words itself. */
export function importWritesWords(db: Db): boolean {
  return pendingNote(db)?.wordsBy === "import" && !searchTriggersThere(db);
}

/** The import's write thread wrote every word (in its last transaction): the restore need not. */
export function noteWordsDone(db: Db): void {
  const note = pendingNote(db);
  if (!note) return;
  db.prepare(`UPDATE Setting SET value = ? WHERE key = ?`).run(
    JSON.stringify({ ...note, wordsDone: true }),
    SETTING,
  );
}

function searchTriggersThere(db: Db): boolean {
  const present = db
    .prepare(
      `SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name IN (${marks(DEFERRABLE_TRIGGERS)})`,
    )
    .pluck()
    .get(...DEFERRABLE_TRIGGERS) as number;
  return present > 0;
}

/** Builds the indexes and search words an import left to build (at its end, or after it died). */
export function restoreIndexes(db: Db): void {
  const note = pendingNote(db);
  if (!note) return;
  withSpillingSorts(db, () => {
    const triggers = note.sql.filter((sql) => /^CREATE TRIGGER /.test(sql));
    for (const sql of note.sql)
      if (!triggers.includes(sql))
        db.exec(sql.replace(/^CREATE (UNIQUE )?INDEX /, "CREATE $1INDEX IF NOT EXISTS "));
    if (triggers.length > 0 && !(note.wordsBy === "import" && note.wordsDone)) writeSearchWords(db);
    for (const sql of triggers) db.exec(sql.replace(/^CREATE TRIGGER /, "CREATE TRIGGER IF NOT EXISTS "));
    db.prepare(`DELETE FROM Setting WHERE key = ?`).run(SETTING);
  });
}

/** An import deferred indexes or dropped the search triggers and has not restored them yet (it is running, or it died). */
export function hasDeferredIndexes(db: Db): boolean {
  return pendingNote(db) !== undefined;
}

/** The import that left the note did not wait for the disk (a first import): check the file before going on. */
export function deferredUnsynced(db: Db): boolean {
  return pendingNote(db)?.unsynced ?? false;
}

function pendingNote(db: Db): Note | undefined {
  const hasSettings = db
    .prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'Setting'`)
    .get();
  if (!hasSettings) return undefined;
  const row = db.prepare(`SELECT value FROM Setting WHERE key = ?`).get(SETTING) as
    | { value: string }
    | undefined;
  if (!row) return undefined;
  const value = JSON.parse(row.value) as Note | string[];
  // Written by a version before this one: a first import that wrote no search words.
  return Array.isArray(value) ? { sql: value, unsynced: true, wordsBy: "restore", wordsDone: false } : value;
}

const marks = (names: readonly string[]) => names.map(() => "?").join(", ");
