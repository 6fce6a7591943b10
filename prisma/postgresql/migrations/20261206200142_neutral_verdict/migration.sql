-- Verdicts and trainings name their filter (issue 17): every row so far is DSPAM's. Its user and
-- class name are kept in the neutral columns; the class letter is its class name's (lib/parsers/dspam-record.ts).
-- DropIndex
DROP INDEX "Training_dspamUser_idx";

-- DropIndex
DROP INDEX "Verdict_dspamUser_ts_idx";

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "verdictFilter" TEXT;
UPDATE "Delivery" SET "verdictFilter" = 'dspam' WHERE "verdictUser" IS NOT NULL OR "verdictClass" IS NOT NULL;

-- AlterTable
ALTER TABLE "Training" ADD COLUMN     "filter" TEXT NOT NULL DEFAULT 'dspam';
ALTER TABLE "Training" ALTER COLUMN "filter" DROP DEFAULT;
ALTER TABLE "Training" RENAME COLUMN "dspamUser" TO "filterUser";

-- AlterTable
ALTER TABLE "Verdict" DROP COLUMN "dspamClass",
ADD COLUMN     "action" TEXT,
ADD COLUMN     "filter" TEXT NOT NULL DEFAULT 'dspam',
ADD COLUMN     "score" DOUBLE PRECISION;
ALTER TABLE "Verdict" ALTER COLUMN "filter" DROP DEFAULT;
ALTER TABLE "Verdict" RENAME COLUMN "dspamUser" TO "filterUser";
ALTER TABLE "Verdict" ALTER COLUMN "filterUser" DROP NOT NULL;
ALTER TABLE "Verdict" RENAME COLUMN "className" TO "result";

-- CreateIndex
CREATE INDEX "Training_filterUser_idx" ON "Training"("filterUser");

-- CreateIndex
CREATE INDEX "Verdict_filterUser_ts_idx" ON "Verdict"("filterUser", "ts");
