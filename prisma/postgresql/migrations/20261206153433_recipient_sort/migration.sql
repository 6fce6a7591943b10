-- AlterTable
ALTER TABLE "Journey" ADD COLUMN     "recipientSort" TEXT;

-- Older journeys: their lowest final recipient, as lib/store/journey-writer.ts computes it for new ones.
UPDATE "Journey" SET "recipientSort" = (
  SELECT min(lower(d."recipient")) FROM "Delivery" d
  WHERE d."journeyId" = "Journey"."id" AND d."destination" IN ('mailbox', 'external')
);

-- CreateIndex
CREATE INDEX "Journey_recipientSort_firstTs_id_idx" ON "Journey"("recipientSort", "firstTs" DESC, "id" DESC);
