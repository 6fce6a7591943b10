-- Lines move into blocks: LineKey keeps each line's identity, LineBlock its provenance and text
-- (see prisma/schema.prisma and lib/core/line-block.ts). Lines stored before become blocks of one
-- line each, uncompressed; new lines are written in compressed blocks of many lines.

-- CreateTable (WITHOUT ROWID: the key is the table, one B-tree instead of a table and an index)
CREATE TABLE "LineKey" (
    "key" BLOB NOT NULL PRIMARY KEY,
    "id" INTEGER NOT NULL
) WITHOUT ROWID;

-- CreateTable
CREATE TABLE "LineBlock" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "count" INTEGER NOT NULL,
    "lastSecond" INTEGER NOT NULL,
    "compressed" BOOLEAN NOT NULL,
    "data" BLOB NOT NULL
);

-- CreateIndex
CREATE INDEX "LineBlock_lastSecond_idx" ON "LineBlock"("lastSecond");

-- Move the stored lines
INSERT INTO "LineKey" ("key", "id") SELECT "key", "id" FROM "Line";

-- The key starts with the line's second, big-endian (lib/ingest/line-key.ts).
INSERT INTO "LineBlock" ("id", "count", "lastSecond", "compressed", "data")
SELECT "id", 1, (instr('0123456789ABCDEF', substr("h", 1, 1)) - 1) * 268435456 + (instr('0123456789ABCDEF', substr("h", 2, 1)) - 1) * 16777216 + (instr('0123456789ABCDEF', substr("h", 3, 1)) - 1) * 1048576 + (instr('0123456789ABCDEF', substr("h", 4, 1)) - 1) * 65536 + (instr('0123456789ABCDEF', substr("h", 5, 1)) - 1) * 4096 + (instr('0123456789ABCDEF', substr("h", 6, 1)) - 1) * 256 + (instr('0123456789ABCDEF', substr("h", 7, 1)) - 1) * 16 + (instr('0123456789ABCDEF', substr("h", 8, 1)) - 1) * 1, 0,
    CAST(json_object('s', json_array("sourceId"), 'n', json_array("lineNo"), 'o', json_array("byteOffset"),
        't', json_array("ts"), 'k', json_array("event"), 'e', json_array(0)) || char(10) || "raw" AS BLOB)
FROM (SELECT *, hex(substr("key", 1, 4)) AS "h" FROM "Line");

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_LineIssue" (
    "lineId" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "sourceId" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "detail" TEXT,
    "key" BLOB NOT NULL,
    CONSTRAINT "LineIssue_sourceId_fkey" FOREIGN KEY ("sourceId") REFERENCES "Source" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_LineIssue" ("detail", "lineId", "reason", "sourceId", "key")
SELECT i."detail", i."lineId", i."reason", i."sourceId", l."key" FROM "LineIssue" i JOIN "Line" l ON l."id" = i."lineId";
DROP TABLE "LineIssue";
ALTER TABLE "new_LineIssue" RENAME TO "LineIssue";
CREATE INDEX "LineIssue_sourceId_reason_idx" ON "LineIssue"("sourceId", "reason");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- DropTable
DROP INDEX "Line_key_key";
DROP TABLE "Line";
