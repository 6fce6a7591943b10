import path from "node:path";
import { defineConfig } from "prisma/config";

// Prisma's CLI downloads a native schema engine before `generate`, and that host is unreachable
// from where Spamtrail is built. A path that exists skips the download; generate never runs it.
// Migrations are applied by lib/db/migrate.ts and written by scripts/schema-engine.ts instead.
process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= path.resolve(import.meta.dirname, "prisma/no-schema-engine.sh");

export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "file:./data/spamtrail.db" },
});
