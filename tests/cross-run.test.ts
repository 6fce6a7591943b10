import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { Db } from "../lib/db/connection.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { ingestedState as state } from "./helpers/db-state.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { tempDatabase } from "./helpers/temp-db.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const MAIL = [path.join(LAB_LOGS, "var/log/mail.log"), path.join(LAB_LOGS, "var/log/syslog")];
const DSPAM = [path.join(LAB_LOGS, "var/spool/dspam")];
const unclaimedVerdicts = (db: Db) =>
  (db.prepare(`SELECT count(*) AS n FROM Verdict WHERE journeyId IS NULL`).get() as { n: number }).n;

describe("the same result whatever the order and number of runs", () => {
  const oneRun = tempDatabase();

  test("one run with every file", async () => {
    await ingestLogs(oneRun.db, [...MAIL, ...DSPAM], { year: LAB_YEAR });
    assert.equal(unclaimedVerdicts(oneRun.db), 0);
  });

  for (const graceMs of [undefined, 1000]) {
    const label = graceMs ? " (journeys let go after 1 s, so the database joins the late lines)" : "";
    test(`the maillog first, DSPAM's logs in a later run${label}`, async () => {
      const split = tempDatabase();
      await ingestLogs(split.db, MAIL, { year: LAB_YEAR, graceMs });
      const later = await ingestLogs(split.db, DSPAM, { year: LAB_YEAR, graceMs });
      assert.deepEqual(state(split.db), state(oneRun.db));
      // Every classification found its stored journey: none is reported without its mail log.
      assert.equal(later.correlation.orphanVerdicts, 0);
    });

    test(`DSPAM's logs first, the maillog in a later run${label}`, async () => {
      const split = tempDatabase();
      const first = await ingestLogs(split.db, DSPAM, { year: LAB_YEAR, graceMs });
      // Reported without their mail log: the classifications stored without a journey.
      assert.ok(first.correlation.orphanVerdicts > 0);
      assert.equal(first.correlation.orphanVerdicts, unclaimedVerdicts(split.db));
      await ingestLogs(split.db, MAIL, { year: LAB_YEAR, graceMs });
      assert.deepEqual(state(split.db), state(oneRun.db));
    });
  }

  // dovecot-antispam's dspam commands are in the IMAP server's syslog, DSPAM's answers (a failed
  // retrain's "Signature retrieval ... failed") in the maillog: read in different runs, each half
  // completes the other, and no retraining is stored twice.
  const COMMANDS = [path.join(LAB_LOGS, "var/log/syslog")];
  const ANSWERS = [path.join(LAB_LOGS, "var/log/mail.log"), ...DSPAM];
  for (const [label, runs] of [
    ["dovecot-antispam's commands first, DSPAM's answers in a later run", [COMMANDS, ANSWERS]],
    ["DSPAM's answers first, dovecot-antispam's commands in a later run", [ANSWERS, COMMANDS]],
  ] as const) {
    test(label, async () => {
      const split = tempDatabase();
      for (const paths of runs) await ingestLogs(split.db, [...paths], { year: LAB_YEAR });
      assert.deepEqual(state(split.db), state(oneRun.db));
    });
  }

  test("Dovecot's lines in a later run (its own log file): each store completes its stored delivery", async () => {
    const dir = tempDir("spamtrail-dovecot-later-");
    const lines = readFileSync(path.join(LAB_LOGS, "var/log/mail.log"), "utf8").split("\n").filter(Boolean);
    const isDovecot = (line: string) => / dovecot(?:\[\d+\])?: /.test(line);
    const maillog = path.join(dir, "mail.log");
    const dovecotLog = path.join(dir, "dovecot.log");
    writeFileSync(maillog, `${lines.filter((line) => !isDovecot(line)).join("\n")}\n`);
    writeFileSync(dovecotLog, `${lines.filter(isDovecot).join("\n")}\n`);
    const split = tempDatabase();
    await ingestLogs(split.db, [maillog, path.join(LAB_LOGS, "var/log/syslog"), ...DSPAM], {
      year: LAB_YEAR,
    });
    await ingestLogs(split.db, [dovecotLog], { year: LAB_YEAR });
    assert.deepEqual(state(split.db), state(oneRun.db));
  });

  test("a run that dies half-way: the next rebuilds the correlator from its last snapshot and the batches after it", async () => {
    const crashed = tempDatabase();
    let batches = 0;
    await assert.rejects(
      ingestLogs(crashed.db, [...MAIL, ...DSPAM], {
        year: LAB_YEAR,
        batchLines: 100,
        hooks: {
          onLines: () => {
            batches += 1;
            if (batches === 12) throw new Error("killed");
          },
        },
      }),
      /killed/,
    );
    // The snapshot of the first batch, then ten batches' steps: what the next run replays.
    const saved = crashed.db.prepare(`SELECT replay FROM CorrelatorState WHERE id = 1`).get() as {
      replay: string | null;
    };
    assert.equal((JSON.parse(saved.replay ?? "[]") as unknown[]).length, 10);
    await ingestLogs(crashed.db, [...MAIL, ...DSPAM], { year: LAB_YEAR, batchLines: 100 });
    assert.deepEqual(state(crashed.db), state(oneRun.db));
    assert.equal(
      (
        crashed.db.prepare(`SELECT replay FROM CorrelatorState WHERE id = 1`).get() as {
          replay: string | null;
        }
      ).replay,
      null,
      "a run's end saves the whole state",
    );
  });

  // Under follow the maillog's "Signature retrieval failed" may be read before the syslog's dspam
  // command of the same retraining: the command must complete that training, whatever was guessed.
  for (const graceMs of [undefined, 1000]) {
    test(`the maillog and DSPAM's logs first, the syslog's antispam commands in a later run${graceMs ? " (1 s grace)" : ""}`, async () => {
      const split = tempDatabase();
      await ingestLogs(split.db, [MAIL[0] as string, ...DSPAM], { year: LAB_YEAR, graceMs });
      await ingestLogs(split.db, [MAIL[1] as string], { year: LAB_YEAR, graceMs });
      assert.deepEqual(state(split.db), state(oneRun.db));
    });
  }
});
