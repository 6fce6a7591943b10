import type { Db } from "./connection.ts";

// The words the triggers of migration search_terms keep for every journey, queue and delivery,
// computed for all rows at once: what those triggers would have written, row by row, had they
// been there (lib/db/deferred-indexes.ts drops them during a first import). Same filters as the
// triggers: a NULL or empty term is not a word. Each table is scanned once, every row giving its
// words through a join with the numbers of its words (a scan per word read each row up to five
// times: a third more time).
const domain = (column: string) => `lower(substr("${column}", instr("${column}", '@') + 1))`;
const ALL_TERMS = `
INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId")
SELECT "field", "term", "journeyId" FROM (
  SELECT CASE w."column1" WHEN 1 THEN 'rcpt' WHEN 2 THEN 'rcpt' WHEN 3 THEN 'rcpt-domain'
      WHEN 4 THEN 'rcpt-domain' ELSE 'status' END AS "field",
    CASE w."column1" WHEN 1 THEN lower("recipient") WHEN 2 THEN lower("origRecipient")
      WHEN 3 THEN CASE WHEN instr("recipient", '@') > 0 THEN ${domain("recipient")} END
      WHEN 4 THEN CASE WHEN instr("origRecipient", '@') > 0 THEN ${domain("origRecipient")} END
      ELSE CASE WHEN "status" IN ('deferred', 'bounced') THEN "status" END END AS "term",
    "journeyId"
  FROM "Delivery" CROSS JOIN (VALUES (1), (2), (3), (4), (5)) AS w
  UNION ALL SELECT 'status', 'bounced', "journeyId" FROM "JourneyQueue" WHERE "closed" = 'expired'
  UNION ALL SELECT CASE w."column1" WHEN 1 THEN 'from' WHEN 2 THEN 'from-domain' WHEN 3 THEN 'client'
      WHEN 4 THEN 'client' ELSE 'status' END,
    CASE w."column1" WHEN 1 THEN lower("sender")
      WHEN 2 THEN CASE WHEN instr("sender", '@') > 0 THEN ${domain("sender")} END
      WHEN 3 THEN lower("clientIp") WHEN 4 THEN lower("clientName")
      WHEN 5 THEN CASE WHEN "complete" = 0 THEN 'queued' END
      ELSE CASE WHEN "inProgress" = 1 THEN 'in-progress' END END,
    "id"
  FROM "Journey" CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6)) AS w
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
