import type { Db } from "./connection.ts";

// The words the triggers of migration search_terms keep for every journey, queue and delivery,
// computed for all rows at once: what those triggers would have written, row by row, had they
// been there (lib/db/deferred-indexes.ts drops them during a first import). Same filters as the
// triggers: a NULL or empty term is not a word.
const ALL_TERMS = `
INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId")
SELECT "field", "term", "journeyId" FROM (
  SELECT 'rcpt' AS "field", lower("recipient") AS "term", "journeyId" FROM "Delivery"
  UNION ALL SELECT 'rcpt', lower("origRecipient"), "journeyId" FROM "Delivery"
  UNION ALL SELECT 'rcpt-domain', lower(substr("recipient", instr("recipient", '@') + 1)), "journeyId"
    FROM "Delivery" WHERE instr("recipient", '@') > 0
  UNION ALL SELECT 'rcpt-domain', lower(substr("origRecipient", instr("origRecipient", '@') + 1)), "journeyId"
    FROM "Delivery" WHERE instr("origRecipient", '@') > 0
  UNION ALL SELECT 'status', "status", "journeyId" FROM "Delivery" WHERE "status" IN ('deferred', 'bounced')
  UNION ALL SELECT 'status', 'bounced', "journeyId" FROM "JourneyQueue" WHERE "closed" = 'expired'
  UNION ALL SELECT 'from', lower("sender"), "id" FROM "Journey"
  UNION ALL SELECT 'from-domain', lower(substr("sender", instr("sender", '@') + 1)), "id"
    FROM "Journey" WHERE instr("sender", '@') > 0
  UNION ALL SELECT 'client', lower("clientIp"), "id" FROM "Journey"
  UNION ALL SELECT 'client', lower("clientName"), "id" FROM "Journey"
  UNION ALL SELECT 'status', 'queued', "id" FROM "Journey" WHERE "complete" = 0
  UNION ALL SELECT 'status', 'in-progress', "id" FROM "Journey" WHERE "inProgress" = 1
) WHERE "term" IS NOT NULL AND "term" <> ''
ORDER BY "field", "term", "journeyId"`;

/**
 * Writes the message search's words (SearchTerm, JourneyText) of every stored journey. Adds only:
 * the deferring import started from an empty database, so its journeys have none of these words
 * yet, and words written meanwhile by triggers not deferred stay. A word added to the triggers of
 * lib/db/deferred-indexes.ts must be added here too (tests/write-thread.test.ts compares them).
 */
export function writeSearchWords(db: Db): void {
  db.exec(ALL_TERMS);
  db.exec(`INSERT INTO "JourneyText" ("JourneyText") VALUES ('rebuild')`);
}
