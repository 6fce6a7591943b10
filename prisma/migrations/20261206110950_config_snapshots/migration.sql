-- CreateTable
CREATE TABLE "ConfigSnapshot" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "hash" TEXT NOT NULL,
    "takenAt" DATETIME NOT NULL,
    "seenAt" DATETIME NOT NULL,
    "source" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "results" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "ConfigSnapshot_takenAt_idx" ON "ConfigSnapshot"("takenAt");
