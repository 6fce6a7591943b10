-- AlterTable
ALTER TABLE "Source" ADD COLUMN "lastReadAt" DATETIME;

-- CreateTable
CREATE TABLE "Finding" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "count" INTEGER NOT NULL,
    "firstSeen" DATETIME NOT NULL,
    "lastSeen" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "statusBy" TEXT,
    "statusAt" DATETIME,
    "note" TEXT,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "FindingEvidence" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "findingId" INTEGER NOT NULL,
    "ref" TEXT NOT NULL,
    "ts" DATETIME NOT NULL,
    "severity" TEXT NOT NULL,
    "messageId" TEXT,
    "journeyKey" TEXT,
    "users" TEXT NOT NULL,
    "recipients" TEXT NOT NULL,
    "detail" TEXT NOT NULL,
    "lineIds" TEXT NOT NULL,
    CONSTRAINT "FindingEvidence_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "FindingAudit" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "findingId" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "note" TEXT,
    CONSTRAINT "FindingAudit_findingId_fkey" FOREIGN KEY ("findingId") REFERENCES "Finding" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "AdminUser" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "username" TEXT NOT NULL,
    "passwordHash" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "AuthSession" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "userId" INTEGER NOT NULL,
    "csrfToken" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,
    "lastSeenAt" DATETIME NOT NULL,
    "ip" TEXT,
    "userAgent" TEXT,
    CONSTRAINT "AuthSession_userId_fkey" FOREIGN KEY ("userId") REFERENCES "AdminUser" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LoginAttempt" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "ip" TEXT NOT NULL,
    "username" TEXT NOT NULL,
    "at" DATETIME NOT NULL,
    "ok" BOOLEAN NOT NULL
);

-- CreateTable
CREATE TABLE "Setting" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "value" TEXT NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "ReportRun" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "period" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "sentAt" DATETIME,
    "recipients" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "error" TEXT,
    "subject" TEXT
);

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
CREATE INDEX "Delivery_destination_ts_idx" ON "Delivery"("destination", "ts");
