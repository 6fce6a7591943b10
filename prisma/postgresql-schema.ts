// prisma/schema.prisma is the one schema: prisma/postgresql/schema.prisma is written from it by
// this file (npm run db:new and npm run db:pg-schema do), with the provider and the client's
// output changed and nothing else. The drift test fails when the written file is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { projectRoot } from "../lib/core/paths.ts";

export const SQLITE_SCHEMA = path.join(projectRoot(), "prisma", "schema.prisma");
export const POSTGRES_SCHEMA = path.join(projectRoot(), "prisma", "postgresql", "schema.prisma");

const HEADER = `// WRITTEN BY prisma/postgresql-schema.ts FROM prisma/schema.prisma: edit that file, then run
// npm run db:new -- <name> (or npm run db:pg-schema). PostgreSQL's DateTime columns are
// timestamp(3); Bytes are bytea; the rest is prisma/schema.prisma as it is.
`;

/** The PostgreSQL schema for a SQLite schema's text. */
export function postgresSchemaText(sqlite: string): string {
  const replace = (text: string, from: RegExp, to: string): string => {
    if (!from.test(text))
      throw new Error(`prisma/schema.prisma: expected ${from} (see prisma/postgresql-schema.ts)`);
    return text.replace(from, to);
  };
  let text = replace(sqlite, /(datasource db \{\s*provider\s*=\s*)"sqlite"/, '$1"postgresql"');
  text = replace(
    text,
    /(generator client \{[^}]*output\s*=\s*)"\.\.\/generated\/prisma"/,
    '$1"../../generated/prisma-pg"',
  );
  return HEADER + text;
}

/** Writes prisma/postgresql/schema.prisma; returns whether it changed. */
export function writePostgresSchema(): boolean {
  const text = postgresSchemaText(readFileSync(SQLITE_SCHEMA, "utf8"));
  let before = "";
  try {
    before = readFileSync(POSTGRES_SCHEMA, "utf8");
  } catch {}
  if (before === text) return false;
  writeFileSync(POSTGRES_SCHEMA, text);
  return true;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  console.log(
    writePostgresSchema() ? `wrote ${path.relative(projectRoot(), POSTGRES_SCHEMA)}` : "up to date",
  );
}
