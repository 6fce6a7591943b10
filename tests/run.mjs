#!/usr/bin/env node
// Runs every *.test.ts under lib/ and tests/ with node's test runner (TAP output, so the last
// lines are `# pass N` / `# fail N`). Arguments filter test files by substring.
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startPostgres } from "./helpers/pg-server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const SKIP = new Set(["node_modules", "fixtures", ".next", "generated", ".artifacts"]);

function walk(dir) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (SKIP.has(entry.name)) return [];
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return walk(full);
    return /\.test\.tsx?$/.test(entry.name) ? [path.relative(root, full)] : [];
  });
}

const filters = process.argv.slice(2);
const files = [...walk(path.join(root, "lib")), ...walk(path.join(root, "tests"))]
  .filter((file) => filters.length === 0 || filters.some((f) => file.includes(f)))
  .sort();
if (files.length === 0) {
  console.error(`no test files match ${filters.join(" ")}`);
  process.exit(1);
}
// One PostgreSQL server for every test file that uses one (each test makes its own database on
// it): initdb and start once, not once per file. It stops when this process ends, however it ends.
const env = { ...process.env, SPAMTRAIL_TEST: "1" };
const needsPostgres = files.some((file) =>
  /helpers\/(postgres|both-databases)\.ts/.test(readFileSync(path.join(root, file), "utf8")),
);
let postgres;
if (needsPostgres && !env.SPAMTRAIL_TEST_PG_URL && !env.SPAMTRAIL_TEST_PG_SKIP) {
  postgres = await startPostgres();
  if ("skip" in postgres) env.SPAMTRAIL_TEST_PG_SKIP = postgres.skip;
  else env.SPAMTRAIL_TEST_PG_URL = postgres.url;
}
const result = spawnSync(
  process.execPath,
  [
    "--import",
    "tsx",
    "--test",
    "--test-reporter=tap",
    "--test-concurrency=2",
    // A test that hangs fails after 5 minutes instead of holding CI until its deadline.
    "--test-timeout=300000",
    ...files,
  ],
  { cwd: root, stdio: "inherit", env },
);
if (postgres && "stop" in postgres) await postgres.stop();
process.exit(result.status ?? 1);
