-- CreateTable
CREATE TABLE "DovecotStore" (
    "lineId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ts" DATETIME NOT NULL,
    "host" TEXT,
    "user" TEXT NOT NULL,
    "session" TEXT,
    "messageId" TEXT,
    "folder" TEXT NOT NULL
);

-- CreateIndex
CREATE INDEX "DovecotStore_session_idx" ON "DovecotStore"("session");

-- CreateIndex
CREATE INDEX "DovecotStore_messageId_ts_idx" ON "DovecotStore"("messageId", "ts");
