-- A journey written while the correlator still follows it (see prisma/schema.prisma). Added at the
-- end of the table: SQLite adds the column in place, without copying the table.
ALTER TABLE "Journey" ADD COLUMN "inProgress" BOOLEAN NOT NULL DEFAULT false;
