-- CreateTable
CREATE TABLE "Journey" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "host" TEXT,
    "messageId" TEXT,
    "firstTs" DATETIME NOT NULL,
    "lastTs" DATETIME NOT NULL,
    "complete" BOOLEAN NOT NULL,
    "origin" TEXT NOT NULL,
    "service" TEXT,
    "clientName" TEXT,
    "clientIp" TEXT,
    "saslUsername" TEXT,
    "sender" TEXT,
    "size" INTEGER,
    "subject" TEXT,
    "parentKey" TEXT,
    "parentRelation" TEXT,
    "filtered" BOOLEAN NOT NULL,
    "verdict" TEXT,
    "delivered" INTEGER NOT NULL,
    "lines" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "JourneyQueue" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "journeyId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "queueId" TEXT NOT NULL,
    "firstTs" DATETIME NOT NULL,
    "lastTs" DATETIME NOT NULL,
    "via" TEXT NOT NULL,
    "service" TEXT,
    "clientName" TEXT,
    "clientIp" TEXT,
    "saslMethod" TEXT,
    "saslUsername" TEXT,
    "pickupUid" INTEGER,
    "sender" TEXT,
    "size" INTEGER,
    "nrcpt" INTEGER,
    "messageId" TEXT,
    "receivedFor" TEXT,
    "closed" TEXT,
    "parentQueueId" TEXT,
    "linkRule" TEXT,
    "linkConfidence" TEXT,
    "linkRecipient" TEXT,
    "actions" TEXT NOT NULL,
    CONSTRAINT "JourneyQueue_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "journeyId" INTEGER NOT NULL,
    "queueId" TEXT NOT NULL,
    "ts" DATETIME NOT NULL,
    "recipient" TEXT NOT NULL,
    "origRecipient" TEXT,
    "relay" TEXT NOT NULL,
    "agent" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "dsn" TEXT NOT NULL,
    "reply" TEXT NOT NULL,
    "destination" TEXT NOT NULL,
    "filter" TEXT,
    "session" TEXT,
    "queuedAs" TEXT,
    "forwardedAs" TEXT,
    "mailboxUser" TEXT,
    "folder" TEXT,
    "folderMatch" TEXT,
    "verdictUser" TEXT,
    "verdictClass" TEXT,
    "verdictSignature" TEXT,
    "lineId" INTEGER NOT NULL,
    CONSTRAINT "Delivery_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Verdict" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "journeyId" INTEGER,
    "ts" DATETIME NOT NULL,
    "dspamUser" TEXT NOT NULL,
    "dspamClass" TEXT NOT NULL,
    "className" TEXT NOT NULL,
    "signature" TEXT,
    "status" TEXT NOT NULL,
    "from" TEXT,
    "subject" TEXT,
    "messageId" TEXT,
    "queueId" TEXT,
    "lineId" INTEGER NOT NULL,
    CONSTRAINT "Verdict_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Training" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "ts" DATETIME NOT NULL,
    "host" TEXT,
    "login" TEXT,
    "dspamUser" TEXT,
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

-- CreateTable
CREATE TABLE "CorrelatorState" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "snapshot" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "Journey_key_key" ON "Journey"("key");

-- CreateIndex
CREATE INDEX "Journey_messageId_idx" ON "Journey"("messageId");

-- CreateIndex
CREATE INDEX "Journey_firstTs_idx" ON "Journey"("firstTs");

-- CreateIndex
CREATE INDEX "Journey_origin_firstTs_idx" ON "Journey"("origin", "firstTs");

-- CreateIndex
CREATE INDEX "Journey_sender_idx" ON "Journey"("sender");

-- CreateIndex
CREATE INDEX "Journey_saslUsername_idx" ON "Journey"("saslUsername");

-- CreateIndex
CREATE INDEX "JourneyQueue_journeyId_idx" ON "JourneyQueue"("journeyId");

-- CreateIndex
CREATE INDEX "JourneyQueue_queueId_idx" ON "JourneyQueue"("queueId");

-- CreateIndex
CREATE INDEX "Delivery_journeyId_idx" ON "Delivery"("journeyId");

-- CreateIndex
CREATE INDEX "Delivery_recipient_idx" ON "Delivery"("recipient");

-- CreateIndex
CREATE UNIQUE INDEX "Verdict_lineId_key" ON "Verdict"("lineId");

-- CreateIndex
CREATE INDEX "Verdict_journeyId_idx" ON "Verdict"("journeyId");

-- CreateIndex
CREATE INDEX "Verdict_signature_idx" ON "Verdict"("signature");

-- CreateIndex
CREATE INDEX "Verdict_dspamUser_ts_idx" ON "Verdict"("dspamUser", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "Training_key_key" ON "Training"("key");

-- CreateIndex
CREATE INDEX "Training_signature_idx" ON "Training"("signature");

-- CreateIndex
CREATE INDEX "Training_ts_idx" ON "Training"("ts");

-- CreateIndex
CREATE INDEX "Training_login_idx" ON "Training"("login");

-- CreateIndex
CREATE INDEX "Training_dspamUser_idx" ON "Training"("dspamUser");
