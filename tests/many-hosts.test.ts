import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
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

// One server's roles on three hosts (genlog.py --layout split-role): the MX relays to a DSPAM filter
// host, which delivers by LMTP to Dovecot on an IMAP host, where users retrain.
const roles = generateLogSet(
  "split-role-800-s11",
  ["--messages", "800", "--layout", "split-role", "--seed", "11", "--inject-faults", "0.05"],
  {
    splitHosts: true,
  },
);
const rolesYear = generatedYear(roles);
const files = (host: string) => {
  const own = [path.join(roles.hostsDir, host, "mail.log")];
  if (host === "imap") own.push(path.join(roles.hostsDir, host, "syslog"));
  if (host === "filter") own.push(roles.dspamDir);
  return own;
};

describe("one server's roles on three hosts: MX, DSPAM filter host, IMAP host", () => {
  const together = tempDatabase();
  const truth = JSON.parse(readFileSync(roles.truth, "utf8")) as {
    split_role: { relayed_messages: number };
    deliveries: { mailbox: number };
    training: { totals: { attempts: number; successes: number } };
  };

  test("genlog.py --layout split-role --split-hosts writes each host's lines apart", () => {
    assert.deepEqual(readdirSync(roles.hostsDir).sort(), ["filter", "imap", "mx"]);
    assert.ok(truth.split_role.relayed_messages > 100, `${truth.split_role.relayed_messages} relayed`);
  });

  test("every host's files in one run: each relayed message is one journey through the three hosts", async () => {
    await ingestLogs(together.db, ["mx", "filter", "imap"].flatMap(files), { year: rolesYear });
    const one = (sql: string) => (together.db.prepare(sql).get() as { n: number }).n;
    assert.equal(
      one(`SELECT count(*) AS n FROM JourneyQueue WHERE linkRule = 'relay'`),
      truth.split_role.relayed_messages,
    );
    // No filter host's queue from the MX is left on its own.
    assert.equal(
      one(
        `SELECT count(*) AS n FROM JourneyQueue WHERE position = 0 AND host = 'filter' AND clientName LIKE 'mx.%'`,
      ),
      0,
    );
    assert.equal(
      one(`SELECT count(DISTINCT journeyId) AS n FROM JourneyHost WHERE host = 'mx' AND journeyId IN
             (SELECT journeyId FROM JourneyHost WHERE host = 'filter')`),
      truth.split_role.relayed_messages,
    );
    // Every Dovecot store on the IMAP host found its Postfix delivery.
    assert.equal(
      one(
        `SELECT count(*) AS n FROM Delivery WHERE destination = 'mailbox' AND status = 'sent' AND folder IS NOT NULL`,
      ),
      truth.deliveries.mailbox,
    );
    // Retrainings on the IMAP host, answered by DSPAM on the filter host.
    const trainings = together.db.prepare("SELECT host, outcome FROM Training").all() as {
      host: string;
      outcome: string;
    }[];
    assert.equal(trainings.length, truth.training.totals.attempts);
    assert.ok(trainings.length > 0);
    assert.deepEqual([...new Set(trainings.map((t) => t.host))], ["imap"]);
    assert.equal(trainings.filter((t) => t.outcome === "applied").length, truth.training.totals.successes);
    assert.equal(
      trainings.filter((t) => t.outcome === "failed").length,
      truth.training.totals.attempts - truth.training.totals.successes,
    );
  });

  for (const order of [
    ["mx", "filter", "imap"],
    ["imap", "filter", "mx"],
    ["filter", "imap", "mx"],
  ]) {
    test(`one host per run (${order.join(", ")}) gives the same journeys, verdicts, retrainings and findings`, async () => {
      const perRun = tempDatabase();
      for (const host of order) await ingestLogs(perRun.db, files(host), { year: rolesYear });
      assert.deepEqual(ingestedState(perRun.db), ingestedState(together.db));
    });
  }
});
