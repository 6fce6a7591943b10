// Rspamd's log and the maillog (Postfix, Dovecot, the learn scripts) give the same database
// whichever is read first and whether they are read in one run or two: scans join their queue,
// learns their script's run, in memory or against what the earlier run stored.
import assert from "node:assert/strict";
import path from "node:path";
import { describe, test } from "node:test";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { ingestedState as state } from "./helpers/db-state.ts";
import { RSPAMD_LAB_LOGS } from "./helpers/rspamd-lab.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

// Rspamd's own log has no zone: the lab's clock was UTC.
process.env.TZ = "UTC";

const MAIL = [path.join(RSPAMD_LAB_LOGS, "var/log/mail.log")];
const RSPAMD = [path.join(RSPAMD_LAB_LOGS, "var/log/rspamd/rspamd.log")];

describe("Rspamd: the same result whatever the order and number of runs", () => {
  const oneRun = tempDatabase();

  test("one run with both files", async () => {
    await ingestLogs(oneRun.db, [...RSPAMD, ...MAIL]);
    const unjoined = oneRun.db.prepare(`SELECT count(*) AS n FROM "Verdict" WHERE "journeyId" IS NULL`).get();
    assert.deepEqual(unjoined, { n: 0 });
  });

  for (const graceMs of [undefined, 1000]) {
    const label = graceMs ? " (journeys let go after 1 s: the database joins the late lines)" : "";
    test(`the maillog first, Rspamd's log in a later run${label}`, async () => {
      const split = tempDatabase();
      await ingestLogs(split.db, MAIL, { graceMs });
      await ingestLogs(split.db, RSPAMD, { graceMs });
      assert.deepEqual(state(split.db), state(oneRun.db));
    });

    test(`Rspamd's log first, the maillog in a later run${label}`, async () => {
      const split = tempDatabase();
      await ingestLogs(split.db, RSPAMD, { graceMs });
      await ingestLogs(split.db, MAIL, { graceMs });
      assert.deepEqual(state(split.db), state(oneRun.db));
    });
  }
});
