import type { Db } from "./connection.ts";

// The words the triggers of migration search_terms keep for every journey, queue and delivery,
// computed for many rows at once: what those triggers would have written, row by row, had they
// been there (lib/db/deferred-indexes.ts drops them while a write thread imports). Same filters as
// the triggers: a NULL or empty term is not a word. Each table is scanned once, every row giving
// its words through a join with the numbers of its words (a scan per word read each row up to
// five times: a third more time). `journeys` restricts each table to some journeys.
const domain = (column: string) => `lower(substr("${column}", instr("${column}", '@') + 1))`;
const termsOf = (journeys: { journeyId: string; id: string }) => `
SELECT "field", "term", "journeyId" FROM (
  SELECT CASE w."column1" WHEN 1 THEN 'rcpt' WHEN 2 THEN 'rcpt' WHEN 3 THEN 'rcpt-domain'
      WHEN 4 THEN 'rcpt-domain' ELSE 'status' END AS "field",
    CASE w."column1" WHEN 1 THEN lower("recipient") WHEN 2 THEN lower("origRecipient")
      WHEN 3 THEN CASE WHEN instr("recipient", '@') > 0 THEN ${domain("recipient")} END
      WHEN 4 THEN CASE WHEN instr("origRecipient", '@') > 0 THEN ${domain("origRecipient")} END
      ELSE CASE WHEN "status" IN ('deferred', 'bounced') THEN "status" END END AS "term",
    "journeyId"
  FROM "Delivery" CROSS JOIN (VALUES (1), (2), (3), (4), (5)) AS w WHERE ${journeys.journeyId}
  UNION ALL SELECT 'status', 'bounced', "journeyId" FROM "JourneyQueue"
    WHERE "closed" = 'expired' AND ${journeys.journeyId}
  UNION ALL SELECT CASE w."column1" WHEN 1 THEN 'from' WHEN 2 THEN 'from-domain' WHEN 3 THEN 'client'
      WHEN 4 THEN 'client' ELSE 'status' END,
    CASE w."column1" WHEN 1 THEN lower("sender")
      WHEN 2 THEN CASE WHEN instr("sender", '@') > 0 THEN ${domain("sender")} END
      WHEN 3 THEN lower("clientIp") WHEN 4 THEN lower("clientName")
      WHEN 5 THEN CASE WHEN "complete" = 0 THEN 'queued' END
      ELSE CASE WHEN "inProgress" = 1 THEN 'in-progress' END END,
    "id"
  FROM "Journey" CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6)) AS w WHERE ${journeys.id}
) WHERE "term" IS NOT NULL AND "term" <> ''`;

const ALL = { journeyId: "1", id: "1" };
// The journeys of a JSON array of ids (each table reached through its index on the journey).
const LISTED = {
  journeyId: `"journeyId" IN (SELECT "value" FROM json_each(@ids))`,
  id: `"id" IN (SELECT "value" FROM json_each(@ids))`,
};
const ONE = { journeyId: `"journeyId" = @id`, id: `"id" = @id` };
const ORDERED = `ORDER BY "field", "term", "journeyId"`;

/**
 * Writes the message search's words (SearchTerm, JourneyText) of every stored journey: at the end
 * of a first import, which had the search triggers dropped and wrote none, and after an import
 * that died before it wrote them (lib/db/deferred-indexes.ts). Adds only: words already there
 * stay. A word added to the triggers must be added here too (tests/write-thread.test.ts compares
 * them).
 */
export function writeSearchWords(db: Db): void {
  db.exec(`INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId") ${termsOf(ALL)} ${ORDERED}`);
  db.exec(`INSERT INTO "JourneyText" ("JourneyText") VALUES ('rebuild')`);
}

/**
 * Keeps the message search's words of the journeys a later import on a write thread writes, while
 * it has the search triggers dropped (lib/db/deferred-indexes.ts). A stored journey's words go
 * before it changes; each batch indexes its journeys' text; the words of every journey the import
 * wrote are added at its end, sorted, all at once. Row by row, each batch rewrote pages all over
 * `SearchTerm`, whose words come in no order: a later import of 2.8 million lines into a database
 * of as many wrote 14 GB for 500 MB of data.
 */
export class SearchWordsKeeper {
  private readonly termsOfNew;
  private readonly termsOfListed;
  private readonly insertText;
  private readonly deleteTerms;
  private readonly deleteText;
  /** Journeys stored before the import have ids up to this; the import's new ones are above. */
  private readonly storedUpTo: number;
  /** Stored journeys the import wrote again: their words are added at the end too. */
  private readonly rewritten = new Set<number>();
  /** Written since the last flush, text not yet indexed (their rows may still change). */
  private pending = new Set<number>();

  constructor(db: Db) {
    const insertTerms = (journeys: { journeyId: string; id: string }) =>
      db.prepare(
        `INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId") ${termsOf(journeys)} ${ORDERED}`,
      );
    this.termsOfNew = insertTerms({ journeyId: `"journeyId" > @from`, id: `"id" > @from` });
    this.termsOfListed = insertTerms(LISTED);
    this.insertText = db.prepare(
      `INSERT INTO "JourneyText" (rowid, "messageId", "subject")
       SELECT "id", "messageId", "subject" FROM "Journey" WHERE ${LISTED.id}`,
    );
    this.deleteTerms = db.prepare(
      `DELETE FROM "SearchTerm" WHERE ("field", "term", "journeyId") IN (${termsOf(ONE)})`,
    );
    // The full-text index is told what it indexed: the row as it is before the change.
    this.deleteText = db.prepare(
      `INSERT INTO "JourneyText" ("JourneyText", rowid, "messageId", "subject")
       SELECT 'delete', "id", "messageId", "subject" FROM "Journey" WHERE "id" = @id`,
    );
    this.storedUpTo = db.prepare(`SELECT coalesce(max("id"), 0) FROM "Journey"`).pluck().get() as number;
  }

  /** Before a stored journey's rows change or go: its words go. */
  forget(journeyId: number): void {
    // Written in this transaction and not flushed: nothing of it is indexed yet.
    if (this.pending.has(journeyId)) return;
    this.deleteText.run({ id: journeyId });
    // The words of a journey this import wrote are not there yet.
    if (journeyId <= this.storedUpTo && !this.rewritten.has(journeyId))
      this.deleteTerms.run({ id: journeyId });
  }

  /** A journey was dropped: nothing of it to add. */
  dropped(journeyId: number): void {
    this.pending.delete(journeyId);
    this.rewritten.delete(journeyId);
  }

  /** A journey's rows were written: its text is indexed at the flush, its words at the end. */
  written(journeyId: number): void {
    this.pending.add(journeyId);
    if (journeyId <= this.storedUpTo) this.rewritten.add(journeyId);
  }

  /** The end of a batch's writes (in its transaction): the text of the journeys written is indexed. */
  flush(): void {
    if (this.pending.size === 0) return;
    const ids = JSON.stringify([...this.pending]);
    this.pending = new Set();
    this.insertText.run({ ids });
  }

  /** The end of the import: the words of every journey it wrote. */
  finish(): void {
    this.termsOfNew.run({ from: this.storedUpTo });
    this.termsOfListed.run({ ids: JSON.stringify([...this.rewritten]) });
  }
}
