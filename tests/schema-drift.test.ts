import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { describe, test } from "node:test";
import { POSTGRES_SCHEMA, postgresSchemaText, SQLITE_SCHEMA } from "../prisma/postgresql-schema.ts";
import { pendingPostgresSql, pendingSql } from "../prisma/schema-engine.ts";
import { postgresServerUrl, postgresSkip } from "./helpers/postgres.ts";

const noPostgres = await postgresSkip();

describe("one schema, two databases", () => {
  test("prisma/migrations reproduce prisma/schema.prisma on SQLite (no drift)", async () => {
    const sql = await pendingSql();
    assert.equal(sql, "", `schema.prisma changed without a migration; run npm run db:new -- <name>:\n${sql}`);
  });

  test("prisma/postgresql/schema.prisma is the one written from prisma/schema.prisma", () => {
    assert.equal(
      readFileSync(POSTGRES_SCHEMA, "utf8"),
      postgresSchemaText(readFileSync(SQLITE_SCHEMA, "utf8")),
      "prisma/schema.prisma changed: run npm run db:new -- <name> (it rewrites the PostgreSQL schema and its migration)",
    );
  });

  test("prisma/postgresql/migrations reproduce the schema on a real PostgreSQL (no drift)", {
    skip: noPostgres,
  }, async () => {
    const sql = await pendingPostgresSql(await postgresServerUrl());
    assert.equal(sql, "", `the PostgreSQL migrations lag the schema; run npm run db:new -- <name>:\n${sql}`);
  });
});
