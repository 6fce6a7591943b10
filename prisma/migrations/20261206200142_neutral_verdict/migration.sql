-- Verdicts and trainings name their filter (issue 17): every row so far is DSPAM's. Its user and
-- class name are copied into the neutral columns; the class letter is its class name's (lib/parsers/dspam-record.ts).
-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN "verdictFilter" TEXT;
UPDATE "Delivery" SET "verdictFilter" = 'dspam' WHERE "verdictUser" IS NOT NULL OR "verdictClass" IS NOT NULL;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Training" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "ts" DATETIME NOT NULL,
    "host" TEXT,
    "login" TEXT,
    "filter" TEXT NOT NULL,
    "filterUser" TEXT,
    "classifiedUser" TEXT,
    "signature" TEXT,
    "messageId" TEXT,
    "journeyId" INTEGER,
    "direction" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "reason" TEXT,
    "fromMailbox" TEXT,
    "toMailbox" TEXT,
    "lines" TEXT NOT NULL
);
INSERT INTO "new_Training" ("filter", "filterUser", "classifiedUser", "direction", "fromMailbox", "host", "id", "journeyId", "key", "lines", "login", "messageId", "outcome", "reason", "signature", "toMailbox", "ts") SELECT 'dspam', "dspamUser", "classifiedUser", "direction", "fromMailbox", "host", "id", "journeyId", "key", "lines", "login", "messageId", "outcome", "reason", "signature", "toMailbox", "ts" FROM "Training";
DROP TABLE "Training";
ALTER TABLE "new_Training" RENAME TO "Training";
CREATE UNIQUE INDEX "Training_key_key" ON "Training"("key");
CREATE INDEX "Training_signature_idx" ON "Training"("signature");
CREATE INDEX "Training_ts_idx" ON "Training"("ts");
CREATE INDEX "Training_login_idx" ON "Training"("login");
CREATE INDEX "Training_filterUser_idx" ON "Training"("filterUser");
CREATE TABLE "new_Verdict" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "journeyId" INTEGER,
    "ts" DATETIME NOT NULL,
    "filter" TEXT NOT NULL,
    "filterUser" TEXT,
    "result" TEXT NOT NULL,
    "action" TEXT,
    "score" REAL,
    "signature" TEXT,
    "status" TEXT NOT NULL,
    "from" TEXT,
    "subject" TEXT,
    "messageId" TEXT,
    "queueId" TEXT,
    "lineId" INTEGER NOT NULL,
    CONSTRAINT "Verdict_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_Verdict" ("filter", "filterUser", "result", "from", "id", "journeyId", "lineId", "messageId", "queueId", "signature", "status", "subject", "ts") SELECT 'dspam', "dspamUser", "className", "from", "id", "journeyId", "lineId", "messageId", "queueId", "signature", "status", "subject", "ts" FROM "Verdict";
DROP TABLE "Verdict";
ALTER TABLE "new_Verdict" RENAME TO "Verdict";
CREATE UNIQUE INDEX "Verdict_lineId_key" ON "Verdict"("lineId");
CREATE INDEX "Verdict_journeyId_idx" ON "Verdict"("journeyId");
CREATE INDEX "Verdict_signature_idx" ON "Verdict"("signature");
CREATE INDEX "Verdict_filterUser_ts_idx" ON "Verdict"("filterUser", "ts");
CREATE INDEX "Verdict_messageId_idx" ON "Verdict"("messageId");
-- An import that died with its indexes deferred (lib/db/deferred-indexes.ts) noted the old index's
-- SQL; the new one was just built.
UPDATE "Setting" SET "value" = (
    SELECT json_group_array(pending."value") FROM json_each("Setting"."value") AS pending
    WHERE pending."value" NOT LIKE '%"Verdict_dspamUser_ts_idx"%'
) WHERE "key" = 'deferred-indexes';
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
