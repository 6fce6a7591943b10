// The correlator on the Rspamd lab (prisma/demo/lab-rspamd): each scan joined to the Postfix queue
// it names and carried by that queue's deliveries, its Bayes user observed (stat_redis) or inferred
// without debug lines, Rspamd through syslog instead of its own file, and the IMAP retrainings
// (learn-script run + controller learn + journey) equal to truth.json.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { JourneyRecord, TrainingRecord } from "../../lib/core/journey.ts";
import type { CorrelatorEvent } from "../../lib/correlate/correlator.ts";
import { decodeLine } from "../../lib/ingest/decode-line.ts";
import type { FileKind } from "../../lib/ingest/file-kind.ts";
import { YearResolver } from "../../lib/syslog/year-resolver.ts";
import { correlate } from "../helpers/correlate.ts";
import { RSPAMD_LAB, type RspamdTruth, rspamdTruth } from "../helpers/rspamd-lab.ts";

const logLines = (file: string) =>
  readFileSync(path.join(RSPAMD_LAB, "logs", "var", "log", file), "utf8")
    .split("\n")
    .filter((line) => line !== "");

function events(files: { lines: string[]; kind: FileKind }[]): CorrelatorEvent[] {
  let lineId = 0;
  return files.flatMap(({ lines, kind }) => {
    const years = new YearResolver(new Date(2026, 11, 31), 2026);
    return lines.flatMap((text) => {
      lineId += 1;
      const decoded = decodeLine(text, kind, years, undefined);
      if (decoded.ts === null || decoded.event.kind === "unrecognised") return [];
      return [{ lineId, ts: decoded.ts, host: decoded.host, pid: decoded.pid, event: decoded.event }];
    });
  });
}

// Rspamd's own lines as rsyslog would write them with `logging { type = "syslog" }`: no worker type.
const asSyslog = (line: string) =>
  line.replace(
    /^(\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) #(\d+)\([\w-]+\) /,
    (_all, date, time, pid) => `${date}T${time}.000000+00:00 vm rspamd[${pid}]: `,
  );

const truth = rspamdTruth();
const mail = logLines("mail.log");
const rspamd = logLines("rspamd/rspamd.log");

/** Per scanned queue: the Bayes user, how it was known, the action and score, the recipients carrying it. */
function scansOf(journeys: JourneyRecord[]) {
  return new Map(
    journeys.flatMap((journey) =>
      journey.verdicts
        .filter((v) => v.filter === "rspamd")
        .map((v) => [
          v.queueId,
          {
            user: v.filterUser,
            inferred: v.status === "Bayes user inferred",
            carriedBy: journey.deliveries.filter((d) => d.verdict !== null).length,
            delivered: journey.deliveries.filter((d) => d.queueId === v.queueId).length,
          },
        ]),
    ),
  );
}

const trainingsOf = (trainings: TrainingRecord[]) =>
  trainings
    .map((t) => [t.login, t.filterUser, t.messageId, t.direction, t.outcome, t.classifiedUser].join(" "))
    .sort();

function truthTrainings(t: RspamdTruth) {
  return t.imap_training
    .filter((training) => training.learn_user !== undefined)
    .map((training) =>
      [
        training.login,
        training.learn_user_key_used_by_rspamd,
        training.message_id?.replace(/^<|>$/g, ""),
        training.direction === "learn_ham" ? "innocent" : "spam",
        training.rspamc_success ? "applied" : "failed",
        training.classification_user,
      ].join(" "),
    )
    .sort();
}

describe("Rspamd lab: scans and retrainings in the correlator", () => {
  const withDebug = correlate(
    events([
      { lines: mail, kind: "syslog" },
      { lines: rspamd, kind: "rspamd" },
    ]),
  );
  const scans = scansOf(withDebug.journeys);
  const truthScans = truth.messages.flatMap((m) => m.rspamd_scans ?? []);

  test("every scan joined to the queue it names, with the Bayes user stat_redis named", () => {
    assert.equal(scans.size, truthScans.length);
    for (const scan of truthScans) {
      const mine = scans.get(scan.qid);
      assert.ok(mine, `no verdict on queue ${scan.qid}`);
      // A forced pre-result (GTUBE) ran no Bayes: no stat_redis line, the user is inferred.
      if (scan.stats_user !== null) assert.deepEqual([mine.user, mine.inferred], [scan.stats_user, false]);
      else assert.equal(mine.inferred, true);
      assert.equal(mine.carriedBy, mine.delivered, `${scan.qid}: every delivery of the queue carries it`);
    }
    assert.equal(withDebug.orphans.length, 0);
  });

  test("without the stat_redis debug lines: the same users, inferred (first SMTP RCPT, lower-cased)", () => {
    const noDebug = rspamd.filter((line) => !/; stat_redis; /.test(line));
    const inferred = scansOf(
      correlate(
        events([
          { lines: mail, kind: "syslog" },
          { lines: noDebug, kind: "rspamd" },
        ]),
      ).journeys,
    );
    for (const scan of truthScans) {
      const mine = inferred.get(scan.qid);
      assert.equal(mine?.inferred, true, scan.qid);
      if (scan.stats_user !== null) assert.equal(mine?.user, scan.stats_user, scan.qid);
    }
  });

  test("the IMAP retrainings equal the truth: login, Bayes user trained, message, learned or refused, whose Bayes scored it", () => {
    assert.deepEqual(trainingsOf(withDebug.trainings), truthTrainings(truth));
  });

  test("Rspamd through syslog (no worker type) gives the same scans and retrainings", () => {
    const viaSyslog = correlate(events([{ lines: [...mail, ...rspamd.map(asSyslog)], kind: "syslog" }]));
    assert.deepEqual(scansOf(viaSyslog.journeys), scans);
    assert.deepEqual(trainingsOf(viaSyslog.trainings), truthTrainings(truth));
  });

  test("without Rspamd's log, the scripts' runs alone: learned or refused by rspamc's text (it exits 0)", () => {
    const runsOnly = correlate(events([{ lines: mail, kind: "syslog" }]));
    const got = runsOnly.trainings.map((t) => [t.login, t.outcome, t.reason !== null].join(" ")).sort();
    const want = truth.imap_training
      .filter((training) => training.learn_user !== undefined)
      .map((training) =>
        [training.login, training.rspamc_success ? "applied" : "failed", !training.rspamc_success].join(" "),
      )
      .sort();
    assert.deepEqual(got, want);
  });
});
