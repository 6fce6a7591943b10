import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { generatedYear, generateLogSet } from "./bench/generated-logs.ts";
import { ingestedState } from "./helpers/db-state.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

// Three mail servers: one central syslog file interleaving their lines, and each server's own files.
const logs = generateLogSet("hosts3-400-s7", ["--messages", "400", "--hosts", "3", "--seed", "7"], {
  splitHosts: true,
});
const year = generatedYear(logs);
const HOSTS = readdirSync(logs.hostsDir).sort();

describe("several mail servers in one database", () => {
  const central = tempDatabase();

  test("genlog.py --split-hosts writes each server's lines apart", () => {
    assert.deepEqual(HOSTS, ["mail1", "mail2", "mail3"]);
  });

  test("a central syslog file interleaving three servers: journeys of every server, none mixed", async () => {
    await ingestLogs(central.db, [logs.mailLog, logs.syslog, logs.dspamDir], { year });
    const hosts = central.db
      .prepare("SELECT host, count(*) AS n FROM Journey GROUP BY host ORDER BY host")
      .all() as {
      host: string;
      n: number;
    }[];
    assert.deepEqual(
      hosts.map((row) => row.host),
      HOSTS,
    );
    for (const row of hosts) assert.ok(row.n > 50, `${row.host}: ${row.n} journeys`);
  });

  test("each server's own files, ingested together, give the same journeys, verdicts, trainings and findings", async () => {
    const split = tempDatabase();
    const files = HOSTS.flatMap((host) => [
      path.join(logs.hostsDir, host, "mail.log"),
      path.join(logs.hostsDir, host, "syslog"),
    ]);
    await ingestLogs(split.db, [...files, logs.dspamDir], { year });
    assert.deepEqual(ingestedState(split.db), ingestedState(central.db));
  });

  test("one server's files per run, last server first, give the same again", async () => {
    const perRun = tempDatabase();
    for (const host of [...HOSTS].reverse()) {
      await ingestLogs(
        perRun.db,
        [
          path.join(logs.hostsDir, host, "mail.log"),
          path.join(logs.hostsDir, host, "syslog"),
          path.join(logs.dspamDir, host),
        ],
        { year },
      );
    }
    assert.deepEqual(ingestedState(perRun.db), ingestedState(central.db));
  });
});
