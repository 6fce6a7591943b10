-- AlterTable
ALTER TABLE "JourneyQueue" ADD COLUMN     "host" TEXT;

-- CreateTable
CREATE TABLE "JourneyHost" (
    "journeyId" INTEGER NOT NULL,
    "host" TEXT NOT NULL,

    CONSTRAINT "JourneyHost_pkey" PRIMARY KEY ("journeyId","host")
);

-- CreateIndex
CREATE INDEX "JourneyHost_host_journeyId_idx" ON "JourneyHost"("host", "journeyId");

-- CreateIndex
CREATE INDEX "Delivery_queuedAs_idx" ON "Delivery"("queuedAs");

-- AddForeignKey
ALTER TABLE "JourneyHost" ADD CONSTRAINT "JourneyHost_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Older journeys were each on one server: their queues and their one host row from Journey.host.
UPDATE "JourneyQueue" SET "host" = (SELECT j."host" FROM "Journey" j WHERE j."id" = "JourneyQueue"."journeyId");
INSERT INTO "JourneyHost" ("journeyId", "host") SELECT "id", "host" FROM "Journey" WHERE "host" IS NOT NULL;
