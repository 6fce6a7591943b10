-- CreateTable
CREATE TABLE "SearchTerm" (
    "field" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "journeyId" INTEGER NOT NULL,

    PRIMARY KEY ("field", "term", "journeyId")
) WITHOUT ROWID;


-- The words of the message search, kept by triggers so that every writer (ingest, follow,
-- retention) keeps them current without knowing about them. A journey's deliveries are always
-- deleted and written again together (lib/store/journey-writer.ts), so a delivery's delete may
-- drop exactly its own words.
CREATE TRIGGER "SearchTerm_delivery_insert" AFTER INSERT ON "Delivery" BEGIN
  INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId")
  SELECT "field", "term", NEW."journeyId" FROM (
    SELECT 'rcpt' AS "field", lower(NEW."recipient") AS "term"
    UNION ALL SELECT 'rcpt', lower(NEW."origRecipient")
    UNION ALL SELECT 'rcpt-domain', lower(substr(NEW."recipient", instr(NEW."recipient", '@') + 1))
      WHERE instr(NEW."recipient", '@') > 0
    UNION ALL SELECT 'rcpt-domain', lower(substr(NEW."origRecipient", instr(NEW."origRecipient", '@') + 1))
      WHERE instr(NEW."origRecipient", '@') > 0
    UNION ALL SELECT 'status', NEW."status" WHERE NEW."status" IN ('deferred', 'bounced')
  ) WHERE "term" IS NOT NULL AND "term" <> '';
END;

CREATE TRIGGER "SearchTerm_delivery_delete" AFTER DELETE ON "Delivery" BEGIN
  DELETE FROM "SearchTerm" WHERE "field" = 'rcpt' AND "journeyId" = OLD."journeyId"
    AND "term" IN (lower(OLD."recipient"), lower(OLD."origRecipient"));
  DELETE FROM "SearchTerm" WHERE "field" = 'rcpt-domain' AND "journeyId" = OLD."journeyId"
    AND "term" IN (lower(substr(OLD."recipient", instr(OLD."recipient", '@') + 1)),
                   lower(substr(OLD."origRecipient", instr(OLD."origRecipient", '@') + 1)));
  DELETE FROM "SearchTerm" WHERE "field" = 'status' AND "term" = OLD."status" AND "journeyId" = OLD."journeyId";
END;

-- A queue file that expired (returned to the sender): the message bounced.
CREATE TRIGGER "SearchTerm_queue_insert" AFTER INSERT ON "JourneyQueue" WHEN NEW."closed" = 'expired' BEGIN
  INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId") VALUES ('status', 'bounced', NEW."journeyId");
END;

CREATE TRIGGER "SearchTerm_queue_delete" AFTER DELETE ON "JourneyQueue" WHEN OLD."closed" = 'expired' BEGIN
  DELETE FROM "SearchTerm" WHERE "field" = 'status' AND "term" = 'bounced' AND "journeyId" = OLD."journeyId";
END;

-- Words of the Message-ID and the subject (where logged): "part of a Message-ID", "a word of the subject".
CREATE VIRTUAL TABLE "JourneyText" USING fts5("messageId", "subject", content='Journey', content_rowid='id', tokenize='unicode61');

CREATE TRIGGER "SearchTerm_journey_insert" AFTER INSERT ON "Journey" BEGIN
  INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId")
  SELECT "field", "term", NEW."id" FROM (
    SELECT 'from' AS "field", lower(NEW."sender") AS "term"
    UNION ALL SELECT 'from-domain', lower(substr(NEW."sender", instr(NEW."sender", '@') + 1))
      WHERE instr(NEW."sender", '@') > 0
    UNION ALL SELECT 'client', lower(NEW."clientIp")
    UNION ALL SELECT 'client', lower(NEW."clientName")
    UNION ALL SELECT 'status', 'queued' WHERE NEW."complete" = 0
    UNION ALL SELECT 'status', 'in-progress' WHERE NEW."inProgress" = 1
  ) WHERE "term" IS NOT NULL AND "term" <> '';
  INSERT INTO "JourneyText" (rowid, "messageId", "subject") VALUES (NEW."id", NEW."messageId", NEW."subject");
END;

CREATE TRIGGER "SearchTerm_journey_delete" AFTER DELETE ON "Journey" BEGIN
  DELETE FROM "SearchTerm" WHERE "field" = 'from' AND "term" = lower(OLD."sender") AND "journeyId" = OLD."id";
  DELETE FROM "SearchTerm" WHERE "field" = 'from-domain' AND "journeyId" = OLD."id"
    AND "term" = lower(substr(OLD."sender", instr(OLD."sender", '@') + 1));
  DELETE FROM "SearchTerm" WHERE "field" = 'client' AND "journeyId" = OLD."id"
    AND "term" IN (lower(OLD."clientIp"), lower(OLD."clientName"));
  DELETE FROM "SearchTerm" WHERE "field" = 'status' AND "journeyId" = OLD."id" AND "term" IN ('queued', 'in-progress', 'deferred', 'bounced');
  INSERT INTO "JourneyText" ("JourneyText", rowid, "messageId", "subject")
    VALUES ('delete', OLD."id", OLD."messageId", OLD."subject");
END;

-- Still queued (Journey.complete = 0), still followed (Journey.inProgress = 1): a word while it holds.
CREATE TRIGGER "SearchTerm_journey_queued" AFTER UPDATE OF "complete", "inProgress" ON "Journey"
WHEN OLD."complete" IS NOT NEW."complete" OR OLD."inProgress" IS NOT NEW."inProgress" BEGIN
  DELETE FROM "SearchTerm" WHERE "field" = 'status' AND "term" IN ('queued', 'in-progress') AND "journeyId" = OLD."id";
  INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId")
    SELECT 'status', 'queued', NEW."id" WHERE NEW."complete" = 0
    UNION ALL SELECT 'status', 'in-progress', NEW."id" WHERE NEW."inProgress" = 1;
END;

CREATE TRIGGER "SearchTerm_journey_update" AFTER UPDATE OF "sender", "clientIp", "clientName", "messageId", "subject" ON "Journey"
WHEN OLD."sender" IS NOT NEW."sender" OR OLD."clientIp" IS NOT NEW."clientIp" OR OLD."clientName" IS NOT NEW."clientName"
  OR OLD."messageId" IS NOT NEW."messageId" OR OLD."subject" IS NOT NEW."subject" BEGIN
  DELETE FROM "SearchTerm" WHERE "field" = 'from' AND "term" = lower(OLD."sender") AND "journeyId" = OLD."id";
  DELETE FROM "SearchTerm" WHERE "field" = 'from-domain' AND "journeyId" = OLD."id"
    AND "term" = lower(substr(OLD."sender", instr(OLD."sender", '@') + 1));
  DELETE FROM "SearchTerm" WHERE "field" = 'client' AND "journeyId" = OLD."id"
    AND "term" IN (lower(OLD."clientIp"), lower(OLD."clientName"));
  INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId")
  SELECT "field", "term", NEW."id" FROM (
    SELECT 'from' AS "field", lower(NEW."sender") AS "term"
    UNION ALL SELECT 'from-domain', lower(substr(NEW."sender", instr(NEW."sender", '@') + 1))
      WHERE instr(NEW."sender", '@') > 0
    UNION ALL SELECT 'client', lower(NEW."clientIp")
    UNION ALL SELECT 'client', lower(NEW."clientName")
  ) WHERE "term" IS NOT NULL AND "term" <> '';
  INSERT INTO "JourneyText" ("JourneyText", rowid, "messageId", "subject")
    VALUES ('delete', OLD."id", OLD."messageId", OLD."subject");
  INSERT INTO "JourneyText" (rowid, "messageId", "subject") VALUES (NEW."id", NEW."messageId", NEW."subject");
END;

-- What was stored before this migration.
INSERT OR IGNORE INTO "SearchTerm" ("field", "term", "journeyId")
SELECT 'rcpt', lower("recipient"), "journeyId" FROM "Delivery" WHERE "recipient" <> ''
UNION ALL SELECT 'rcpt', lower("origRecipient"), "journeyId" FROM "Delivery" WHERE "origRecipient" <> ''
UNION ALL SELECT 'rcpt-domain', lower(substr("recipient", instr("recipient", '@') + 1)), "journeyId" FROM "Delivery"
  WHERE instr("recipient", '@') > 0
UNION ALL SELECT 'rcpt-domain', lower(substr("origRecipient", instr("origRecipient", '@') + 1)), "journeyId" FROM "Delivery"
  WHERE instr("origRecipient", '@') > 0
UNION ALL SELECT 'from', lower("sender"), "id" FROM "Journey" WHERE "sender" <> ''
UNION ALL SELECT 'from-domain', lower(substr("sender", instr("sender", '@') + 1)), "id" FROM "Journey"
  WHERE instr("sender", '@') > 0
UNION ALL SELECT 'client', lower("clientIp"), "id" FROM "Journey" WHERE "clientIp" <> ''
UNION ALL SELECT 'client', lower("clientName"), "id" FROM "Journey" WHERE "clientName" <> ''
UNION ALL SELECT 'status', "status", "journeyId" FROM "Delivery" WHERE "status" IN ('deferred', 'bounced')
UNION ALL SELECT 'status', 'bounced', "journeyId" FROM "JourneyQueue" WHERE "closed" = 'expired'
UNION ALL SELECT 'status', 'queued', "id" FROM "Journey" WHERE "complete" = 0
UNION ALL SELECT 'status', 'in-progress', "id" FROM "Journey" WHERE "inProgress" = 1;
INSERT INTO "JourneyText" ("JourneyText") VALUES ('rebuild');
