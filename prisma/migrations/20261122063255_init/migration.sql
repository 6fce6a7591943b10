-- CreateTable
CREATE TABLE "Source" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
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
    "firstTs" DATETIME,
    "lastTs" DATETIME,
    "createdAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "SourceProgram" (
    "sourceId" INTEGER NOT NULL,
    "program" TEXT NOT NULL,
    "lines" INTEGER NOT NULL DEFAULT 0,
    "unparsed" INTEGER NOT NULL DEFAULT 0,

    PRIMARY KEY ("sourceId", "program"),
    CONSTRAINT "SourceProgram_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "Line" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" INTEGER NOT NULL,
    "lineNo" INTEGER NOT NULL,
    "byteOffset" BIGINT NOT NULL,
    "ts" DATETIME,
    "host" TEXT,
    "program" TEXT,
    "pid" INTEGER,
    "event" TEXT NOT NULL,
    "raw" TEXT NOT NULL,
    "key" BLOB NOT NULL,
    CONSTRAINT "Line_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "LineIssue" (
    "lineId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    CONSTRAINT "LineIssue_lineId_fkey" FOREIGN KEY ("lineId") REFERENCES "Line" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "LineIssue_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Source_fingerprint_key" ON "Source"("fingerprint");

-- CreateIndex
CREATE UNIQUE INDEX "Line_key_key" ON "Line"("key");

-- CreateIndex
CREATE INDEX "LineIssue_sourceId_reason_idx" ON "LineIssue"("sourceId", "reason");
