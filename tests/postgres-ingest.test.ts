// spamtrail ingest into PostgreSQL: the same rows as into SQLite (every model, compared through
// Prisma), the same answers from the read commands, and nothing added by a second run.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { postgresPrismaFor, prismaFor } from "../lib/db/prisma.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { LAB_CONFIG } from "./audit/configs.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { freshPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { runCli, withoutGeneratedTime } from "./helpers/run-cli.ts";
import { storedRows } from "./helpers/stored-rows.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const skip = await postgresSkip();

describe("spamtrail ingest on PostgreSQL", { skip }, () => {
  const sqlite = tempDatabase();
  let url = "";
  let expected: Record<string, string[]> = {};

  test("the lab ingested into PostgreSQL holds the same rows as into SQLite: lines, sources, journeys, verdicts, trainings, findings", async () => {
    await ingestLogs(sqlite.db, [LAB_LOGS], { year: LAB_YEAR });
    url = await freshPostgresDatabase();
    const run = await runCli(["ingest", "--db", url, "--year", String(LAB_YEAR), LAB_LOGS]);
    assert.equal(run.code, 0, `${run.code} ${run.stderr} ${run.stdout}`);
    assert.match(run.stdout, /message journey update\(s\)/);
    const fromSqlite = prismaFor(sqlite.file);
    const fromPostgres = postgresPrismaFor(url);
    try {
      expected = await storedRows(fromSqlite);
      const actual = await storedRows(fromPostgres);
      for (const model of Object.keys(expected)) assert.deepEqual(actual[model], expected[model], model);
      assert.ok(
        (expected.Journey?.length ?? 0) > 50 && (expected.Finding?.length ?? 0) > 5,
        "the lab has journeys and findings",
      );
    } finally {
      await fromPostgres.$disconnect();
    }
  });

  for (const args of [
    ["findings", "--json"],
    ["users", "--json"],
    ["report", "--since", "2026-11-01", "--until", "2026-12-01"],
  ]) {
    test(`spamtrail ${args.join(" ")} prints the same after ingesting into either database`, async () => {
      const onSqlite = await runCli([...args, "--db", sqlite.file]);
      const onPostgres = await runCli([...args, "--db", url]);
      assert.equal(onPostgres.code, 0, onPostgres.stderr);
      assert.equal(withoutGeneratedTime(onPostgres.stdout), withoutGeneratedTime(onSqlite.stdout));
    });
  }

  test("spamtrail audit --db: the same problems and evidence from the logs on either database; a snapshot stored once per configuration", async () => {
    const paths = [path.join(LAB_CONFIG, "etc"), path.join(LAB_CONFIG, "dspam")];
    const onSqlite = await runCli(["audit", "--json", "--db", sqlite.file, ...paths]);
    const onPostgres = await runCli(["audit", "--json", "--db", url, ...paths]);
    assert.equal(onPostgres.code, 0, onPostgres.stderr);
    assert.equal(onPostgres.stdout, onSqlite.stdout);
    assert.ok(
      (JSON.parse(onPostgres.stdout) as { evidence: unknown }[]).some((r) => r.evidence !== null),
      "the logs' evidence is joined",
    );
    const again = await runCli(["audit", "--db", url, ...paths]);
    assert.equal(again.code, 0, again.stderr);
    assert.match(again.stdout, /configuration unchanged since snapshot #1\b/);
    const fromPostgres = postgresPrismaFor(url);
    try {
      assert.equal(await fromPostgres.configSnapshot.count(), 1);
    } finally {
      await fromPostgres.$disconnect();
    }
  });

  test("ingesting the same logs again adds nothing", async () => {
    const run = await runCli(["ingest", "--db", url, "--year", String(LAB_YEAR), LAB_LOGS]);
    assert.equal(run.code, 0, `${run.code} ${run.stderr} ${run.stdout}`);
    assert.match(run.stdout, /total\s+[\d,]+\s+0\s/);
    const fromPostgres = postgresPrismaFor(url);
    try {
      const actual = await storedRows(fromPostgres);
      for (const model of Object.keys(expected)) assert.deepEqual(actual[model], expected[model], model);
    } finally {
      await fromPostgres.$disconnect();
    }
  });
});
