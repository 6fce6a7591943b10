// A message that crossed three of our servers (mx1 → DSPAM filter host → Dovecot on the IMAP host),
// each server's files read by its own run: the store joins the halves whichever run comes first.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Db } from "../lib/db/connection.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { writeCrossHostLogs } from "./helpers/cross-host-lines.ts";
import { ingestedState } from "./helpers/db-state.ts";
import { tempDatabase } from "./helpers/temp-db.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const files = writeCrossHostLogs(tempDir());
const YEAR = 2026;

/** The joined journey as stored: its servers, its queues on each, how they were linked. */
function crossing(db: Db) {
  const rows = (sql: string) => db.prepare(sql).all();
  return {
    journeys: rows(`SELECT key, host, origin, verdict, delivered FROM Journey ORDER BY key`),
    hosts: rows(`SELECT j.key, h.host FROM JourneyHost h JOIN Journey j ON j.id = h.journeyId ORDER BY 1, 2`),
    queues: rows(
      `SELECT q.host, q.queueId, q.linkRule FROM JourneyQueue q JOIN Journey j ON j.id = q.journeyId ORDER BY j.key, q.position`,
    ),
    hops: rows(`SELECT queueId, destination, folder, verdictClass FROM Delivery ORDER BY ts, lineId`),
  };
}

const JOINED = {
  journeys: [
    { key: "mx1/1D451166633/1795318014", host: "mx1", origin: "inbound", verdict: "spam", delivered: 1 },
  ],
  hosts: ["filter", "imap", "mx1"].map((host) => ({ key: "mx1/1D451166633/1795318014", host })),
  queues: [
    { host: "mx1", queueId: "1D451166633", linkRule: null },
    { host: "filter", queueId: "5AD05166622", linkRule: "relay" },
    { host: "filter", queueId: "6C68016663B", linkRule: "dspam-lmtp" },
  ],
  hops: [
    { queueId: "1D451166633", destination: "relay", folder: null, verdictClass: null },
    { queueId: "5AD05166622", destination: "filter", folder: null, verdictClass: null },
    { queueId: "6C68016663B", destination: "mailbox", folder: "Junk", verdictClass: "spam" },
  ],
};

describe("one message across three servers, each server's files in its own run", () => {
  const together = tempDatabase();

  test("all servers' files in one run: one journey through mx1, the filter host and the IMAP host", async () => {
    await ingestLogs(together.db, [...files.mx1, ...files.filter, ...files.imap], { year: YEAR });
    assert.deepEqual(crossing(together.db), JOINED);
    const training = together.db.prepare("SELECT host, login, outcome, journeyId FROM Training").all();
    assert.deepEqual(training, [
      { host: "imap", login: "alice@example.com", outcome: "applied", journeyId: 1 },
    ]);
  });

  const orders: [string, string[][]][] = [
    ["mx1, the filter host, the IMAP host", [files.mx1, files.filter, files.imap]],
    ["the IMAP host, the filter host, mx1", [files.imap, files.filter, files.mx1]],
    ["the filter host, the IMAP host, mx1", [files.filter, files.imap, files.mx1]],
    ["the IMAP host, mx1, the filter host", [files.imap, files.mx1, files.filter]],
    ["mx1, then the filter and IMAP hosts together", [files.mx1, [...files.filter, ...files.imap]]],
  ];
  for (const [name, runs] of orders) {
    test(`${name}: the same journey and the same findings as one run`, async () => {
      const perRun = tempDatabase();
      for (const run of runs) await ingestLogs(perRun.db, run, { year: YEAR });
      assert.deepEqual(crossing(perRun.db), JOINED);
      assert.deepEqual(ingestedState(perRun.db), ingestedState(together.db));
      const training = perRun.db.prepare("SELECT host, login, outcome, journeyId FROM Training").all();
      assert.deepEqual(training, [
        { host: "imap", login: "alice@example.com", outcome: "applied", journeyId: 1 },
      ]);
    });
  }
});
