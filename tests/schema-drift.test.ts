import assert from "node:assert/strict";
import { test } from "node:test";
import { pendingSql } from "../prisma/schema-engine.ts";

test("prisma/migrations reproduce prisma/schema.prisma (no drift)", async () => {
  const sql = await pendingSql();
  assert.equal(sql, "", `schema.prisma changed without a migration; run npm run db:new -- <name>:\n${sql}`);
});
