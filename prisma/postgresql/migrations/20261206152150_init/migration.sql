-- CreateTable
CREATE TABLE "Source" (
    "id" SERIAL NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "path" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "dspamUser" TEXT,
    "compressed" BOOLEAN NOT NULL DEFAULT false,
    "inode" TEXT,
    "size" BIGINT NOT NULL DEFAULT 0,
    "stream" TEXT NOT NULL,
    "offset" BIGINT NOT NULL DEFAULT 0,
    "nextLineNo" INTEGER NOT NULL DEFAULT 1,
    "tailOffset" BIGINT NOT NULL DEFAULT 0,
    "tailHash" TEXT,
    "tailCounts" TEXT,
    "linesRead" INTEGER NOT NULL DEFAULT 0,
    "linesNew" INTEGER NOT NULL DEFAULT 0,
    "linesKnown" INTEGER NOT NULL DEFAULT 0,
    "unparsed" INTEGER NOT NULL DEFAULT 0,
    "problems" INTEGER NOT NULL DEFAULT 0,
    "firstTs" TIMESTAMP(3),
    "lastTs" TIMESTAMP(3),
    "lastReadAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Source_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SourceProgram" (
    "sourceId" INTEGER NOT NULL,
    "program" TEXT NOT NULL,
    "lines" INTEGER NOT NULL DEFAULT 0,
    "unparsed" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "SourceProgram_pkey" PRIMARY KEY ("sourceId","program")
);

-- CreateTable
CREATE TABLE "LineKey" (
    "key" BYTEA NOT NULL,
    "id" INTEGER NOT NULL,

    CONSTRAINT "LineKey_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "LineBlock" (
    "id" INTEGER NOT NULL,
    "count" INTEGER NOT NULL,
    "lastSecond" INTEGER NOT NULL,
    "compressed" BOOLEAN NOT NULL,
    "data" BYTEA NOT NULL,

    CONSTRAINT "LineBlock_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LineIssue" (
    "lineId" INTEGER NOT NULL,
    "sourceId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "key" BYTEA NOT NULL,

    CONSTRAINT "LineIssue_pkey" PRIMARY KEY ("lineId")
);

-- CreateTable
CREATE TABLE "Journey" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "host" TEXT,
    "messageId" TEXT,
    "firstTs" TIMESTAMP(3) NOT NULL,
    "lastTs" TIMESTAMP(3) NOT NULL,
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
    "lines" TEXT NOT NULL,
    "inProgress" BOOLEAN NOT NULL DEFAULT false,

    CONSTRAINT "Journey_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchTerm" (
    "field" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "journeyId" INTEGER NOT NULL,

    CONSTRAINT "SearchTerm_pkey" PRIMARY KEY ("field","term","journeyId")
);

-- CreateTable
CREATE TABLE "JourneyQueue" (
    "id" SERIAL NOT NULL,
    "journeyId" INTEGER NOT NULL,
    "position" INTEGER NOT NULL,
    "queueId" TEXT NOT NULL,
    "firstTs" TIMESTAMP(3) NOT NULL,
    "lastTs" TIMESTAMP(3) NOT NULL,
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

    CONSTRAINT "JourneyQueue_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" SERIAL NOT NULL,
    "journeyId" INTEGER NOT NULL,
    "queueId" TEXT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
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

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Verdict" (
    "id" SERIAL NOT NULL,
    "journeyId" INTEGER,
    "ts" TIMESTAMP(3) NOT NULL,
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

    CONSTRAINT "Verdict_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Training" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
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
    "lines" TEXT NOT NULL,

    CONSTRAINT "Training_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CorrelatorState" (
    "id" INTEGER NOT NULL,
    "snapshot" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CorrelatorState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Finding" (
    "id" SERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "firstSeen" TIMESTAMP(3) NOT NULL,
    "lastSeen" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "statusBy" TEXT,
    "statusAt" TIMESTAMP(3),
    "note" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Finding_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FindingEvidence" (
    "id" SERIAL NOT NULL,
    "findingId" INTEGER NOT NULL,
    "ref" TEXT NOT NULL,
    "ts" TIMESTAMP(3) NOT NULL,
    "severity" TEXT NOT NULL,
    "messageId" TEXT,
    "journeyKey" TEXT,
    "users" TEXT NOT NULL,
    "recipients" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "lineIds" TEXT NOT NULL,

    CONSTRAINT "FindingEvidence_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FindingAudit" (
    "id" SERIAL NOT NULL,
    "findingId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "note" TEXT,

    CONSTRAINT "FindingAudit_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AdminUser" (
    "id" SERIAL NOT NULL,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AdminUser_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AuthSession" (
    "id" TEXT NOT NULL,
    "userId" INTEGER NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "lastSeenAt" TIMESTAMP(3) NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,

    CONSTRAINT "AuthSession_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "LoginAttempt" (
    "id" SERIAL NOT NULL,
    "ip" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,

    CONSTRAINT "LoginAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Setting_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "ReportRun" (
    "id" SERIAL NOT NULL,
    "period" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL,
    "sentAt" TIMESTAMP(3),
    "recipients" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "subject" TEXT,

    CONSTRAINT "ReportRun_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ConfigSnapshot" (
    "id" SERIAL NOT NULL,
    "hash" TEXT NOT NULL,
    "takenAt" TIMESTAMP(3) NOT NULL,
    "seenAt" TIMESTAMP(3) NOT NULL,
    "source" TEXT NOT NULL,
    "settings" TEXT NOT NULL,
    "results" TEXT NOT NULL,

    CONSTRAINT "ConfigSnapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Source_fingerprint_key" ON "Source"("fingerprint");

-- CreateIndex
CREATE INDEX "LineBlock_lastSecond_idx" ON "LineBlock"("lastSecond");

-- CreateIndex
CREATE INDEX "LineIssue_sourceId_reason_idx" ON "LineIssue"("sourceId", "reason");

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
CREATE INDEX "Delivery_destination_ts_idx" ON "Delivery"("destination", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "Verdict_lineId_key" ON "Verdict"("lineId");

-- CreateIndex
CREATE INDEX "Verdict_journeyId_idx" ON "Verdict"("journeyId");

-- CreateIndex
CREATE INDEX "Verdict_signature_idx" ON "Verdict"("signature");

-- CreateIndex
CREATE INDEX "Verdict_dspamUser_ts_idx" ON "Verdict"("dspamUser", "ts");

-- CreateIndex
CREATE INDEX "Verdict_messageId_idx" ON "Verdict"("messageId");

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

-- CreateIndex
CREATE UNIQUE INDEX "Finding_key_key" ON "Finding"("key");

-- CreateIndex
CREATE INDEX "Finding_kind_idx" ON "Finding"("kind");

-- CreateIndex
CREATE INDEX "Finding_lastSeen_idx" ON "Finding"("lastSeen");

-- CreateIndex
CREATE INDEX "FindingEvidence_ref_idx" ON "FindingEvidence"("ref");

-- CreateIndex
CREATE INDEX "FindingEvidence_messageId_idx" ON "FindingEvidence"("messageId");

-- CreateIndex
CREATE INDEX "FindingEvidence_findingId_ts_idx" ON "FindingEvidence"("findingId", "ts");

-- CreateIndex
CREATE UNIQUE INDEX "FindingEvidence_findingId_ref_key" ON "FindingEvidence"("findingId", "ref");

-- CreateIndex
CREATE INDEX "FindingAudit_findingId_at_idx" ON "FindingAudit"("findingId", "at");

-- CreateIndex
CREATE UNIQUE INDEX "AdminUser_username_key" ON "AdminUser"("username");

-- CreateIndex
CREATE INDEX "AuthSession_userId_idx" ON "AuthSession"("userId");

-- CreateIndex
CREATE INDEX "LoginAttempt_ip_at_idx" ON "LoginAttempt"("ip", "at");

-- CreateIndex
CREATE INDEX "ReportRun_period_status_idx" ON "ReportRun"("period", "status");

-- CreateIndex
CREATE INDEX "ConfigSnapshot_takenAt_idx" ON "ConfigSnapshot"("takenAt");

-- AddForeignKey
ALTER TABLE "SourceProgram" ADD CONSTRAINT "SourceProgram_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "LineIssue" ADD CONSTRAINT "LineIssue_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "JourneyQueue" ADD CONSTRAINT "JourneyQueue_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Verdict" ADD CONSTRAINT "Verdict_journeyId_fkey" FOREIGN KEY ("journeyId") REFERENCES "Journey"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FindingEvidence" ADD CONSTRAINT "FindingEvidence_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "FindingAudit" ADD CONSTRAINT "FindingAudit_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "AuthSession" ADD CONSTRAINT "AuthSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "AdminUser"("id") ON DELETE CASCADE ON UPDATE CASCADE;
