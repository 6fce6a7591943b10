-- CreateTable
CREATE TABLE "DovecotStore" (
    "lineId" INTEGER NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "host" TEXT,
    "user" TEXT NOT NULL,
    "session" TEXT,
    "messageId" TEXT,
    "folder" TEXT NOT NULL,

    CONSTRAINT "DovecotStore_pkey" PRIMARY KEY ("lineId")
);

-- CreateIndex
CREATE INDEX "DovecotStore_session_idx" ON "DovecotStore"("session");

-- CreateIndex
CREATE INDEX "DovecotStore_messageId_ts_idx" ON "DovecotStore"("messageId", "ts");
