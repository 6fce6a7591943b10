// Several mail servers into one PostgreSQL database: a central syslog file, and each server's
// files written by its own process at the same time, give what one ingest into SQLite gives.
import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import path from "node:path";
import { describe, test } from "node:test";
import { promisify } from "node:util";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { ingestLogsPostgres } from "../lib/ingest/ingest-postgres.ts";
import { generatedYear, generateLogSet } from "./bench/generated-logs.ts";
import { writeCrossHostLogs } from "./helpers/cross-host-lines.ts";
import { ingestedState, ingestedStatePostgres } from "./helpers/db-state.ts";
import { migratedPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { tempDatabase } from "./helpers/temp-db.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const skip = await postgresSkip();
const run = promisify(execFile);
const SPAMTRAIL = path.resolve("lib/cli/spamtrail.mjs");

// The set tests/many-hosts.test.ts uses (generated once per checkout).
const logs = generateLogSet("hosts3-400-s7", ["--messages", "400", "--hosts", "3", "--seed", "7"], {
  splitHosts: true,
});
const year = generatedYear(logs);
const HOSTS = ["mail1", "mail2", "mail3"];

describe("several mail servers into one PostgreSQL database", { skip }, () => {
  const central = tempDatabase();
  const database = () => migratedPostgresDatabase();

  test("a central syslog file interleaving three servers gives what it gives on SQLite", async () => {
    await ingestLogs(central.db, [logs.mailLog, logs.syslog, logs.dspamDir], { year });
    const { pool } = await database();
    await ingestLogsPostgres(pool, [logs.mailLog, logs.syslog, logs.dspamDir], { year });
    const state = await ingestedStatePostgres(pool);
    assert.deepEqual(state, ingestedState(central.db));
    assert.ok((state.journeys?.length ?? 0) > 150);
  });

  test("three processes at once, one per server with that server's files, give what one ingest into SQLite gives", async () => {
    const { url, pool } = await database();
    const runs = HOSTS.map((host) =>
      run(process.execPath, [
        SPAMTRAIL,
        "ingest",
        "--db",
        url,
        "--year",
        String(year),
        path.join(logs.hostsDir, host, "mail.log"),
        path.join(logs.hostsDir, host, "syslog"),
        path.join(logs.dspamDir, host),
      ]),
    );
    await Promise.all(runs);
    assert.deepEqual(await ingestedStatePostgres(pool), ingestedState(central.db));
  });

  test("one message across mx1, a DSPAM filter host and an IMAP host, each server's files in its own run, in two orders: one journey, as on SQLite", async () => {
    const files = writeCrossHostLogs(tempDir());
    const together = tempDatabase();
    await ingestLogs(together.db, [...files.mx1, ...files.filter, ...files.imap], { year: 2026 });
    const expected = ingestedState(together.db);
    assert.equal(expected.journeys?.length, 1);
    for (const runs of [
      [files.imap, files.filter, files.mx1],
      [files.mx1, files.filter, files.imap],
    ]) {
      const { pool } = await database();
      for (const run of runs) await ingestLogsPostgres(pool, run, { year: 2026 });
      assert.deepEqual(await ingestedStatePostgres(pool), expected);
      const hosts = await pool.query(`SELECT "host" FROM "JourneyHost" ORDER BY "host"`);
      assert.deepEqual(
        hosts.rows.map((row) => row.host),
        ["filter", "imap", "mx1"],
      );
    }
  });
});
