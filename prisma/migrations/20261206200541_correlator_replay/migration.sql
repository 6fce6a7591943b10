-- AlterTable
ALTER TABLE "CorrelatorState" ADD COLUMN "replay" TEXT;
