import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { LAB_LOGS, realLines } from "../../tests/helpers/fixtures.ts";
import type { DspamRecord, Unparsed } from "../core/events.ts";
import { dspamRecordFields, parseDspamRecord } from "./dspam-record.ts";

const SYSTEM_LOG = path.join(LAB_LOGS, "var/spool/dspam/system.log");
const BOB_LOG = path.join(LAB_LOGS, "var/spool/dspam/data/bob@example.com/bob@example.com.log");
const LOCAL = "DSPAM 3.10.2 run on loopback";

const cases: {
  name: string;
  source: string;
  line: string;
  file: "system" | "user";
  user?: string;
  want: DspamRecord | Unparsed;
}[] = [
  {
    name: "system.log innocent, 9 fields",
    source: "lab var/spool/dspam/system.log",
    line: "1795318016\tI\tMartin Keller <martin.keller@partner.example.org>\t6b026100291101642720778\tMinutes from Tuesday's project meeting\t0.001495\talice@example.com\tDelivered\t<20261122032656.b32f2b3f2c.b01@partner.example.org>",
    file: "system",
    want: {
      kind: "dspam.record",
      file: "system",
      epoch: 1795318016,
      dspamClass: "I",
      className: "innocent",
      from: "Martin Keller <martin.keller@partner.example.org>",
      signature: "6b026100291101642720778",
      subject: "Minutes from Tuesday's project meeting",
      processingSeconds: 0.001495,
      dspamUser: "alice@example.com",
      status: "Delivered",
      messageId: "20261122032656.b32f2b3f2c.b01@partner.example.org",
      messageIdRaw: "<20261122032656.b32f2b3f2c.b01@partner.example.org>",
    },
  },
  {
    name: "system.log retrain by signature: <None Specified>, empty Message-Id",
    source: "lab var/spool/dspam/system.log",
    line: "1795318056\tM\t<None Specified>\t6b026102291106316811857\t<None Specified>\t0.001341\talice@example.com\tRetrained\t",
    file: "system",
    want: {
      kind: "dspam.record",
      file: "system",
      epoch: 1795318056,
      dspamClass: "M",
      className: "retrained-spam",
      from: null,
      signature: "6b026102291106316811857",
      subject: null,
      processingSeconds: 0.001341,
      dspamUser: "alice@example.com",
      status: "Retrained",
      messageId: null,
      messageIdRaw: "",
    },
  },
  {
    name: "user log spam Tagged, user from the path",
    source: "lab var/spool/dspam/data/bob@example.com/bob@example.com.log",
    line: "1795318019\tS\twinner@lotto-intl.example.info\t6b026103291104938449382\tWinning notification ref 88/2231/EU\tTagged\t<20261122032656.6e193bf490.b09@lotto-intl.example.info>",
    file: "user",
    user: "bob@example.com",
    want: {
      kind: "dspam.record",
      file: "user",
      epoch: 1795318019,
      dspamClass: "S",
      className: "spam",
      from: "winner@lotto-intl.example.info",
      signature: "6b026103291104938449382",
      subject: "Winning notification ref 88/2231/EU",
      dspamUser: "bob@example.com",
      status: "Tagged",
      messageId: "20261122032656.6e193bf490.b09@lotto-intl.example.info",
      messageIdRaw: "<20261122032656.6e193bf490.b09@lotto-intl.example.info>",
    },
  },
  {
    name: "user log corpus record: no signature, no status, subject keeps its trailing space",
    source: `${LOCAL} (real-lines dspam-userlog.jsonl)`,
    line: "1795316863\tC\tBest Offers <promo@cheap-pills.example.net>\t\tWIN a FREE prize now! \t\t<spam.8899@cheap-pills.example.net>",
    file: "user",
    user: "alice@example.com",
    want: {
      kind: "dspam.record",
      file: "user",
      epoch: 1795316863,
      dspamClass: "C",
      className: "corpus",
      from: "Best Offers <promo@cheap-pills.example.net>",
      signature: null,
      subject: "WIN a FREE prize now! ",
      dspamUser: "alice@example.com",
      status: "",
      messageId: "spam.8899@cheap-pills.example.net",
      messageIdRaw: "<spam.8899@cheap-pills.example.net>",
    },
  },
  {
    name: "user log failed delivery (OnFail unlearn)",
    source: `${LOCAL} (real-lines dspam-userlog.jsonl)`,
    line: "1795316881\tE\tcron@example.com\t6b025c91107101209780299\tCron <root@mail> run-parts /etc/cron.daily\tDelivery Failed (Delivered)\t",
    file: "user",
    user: "alice@example.com",
    want: {
      kind: "dspam.record",
      file: "user",
      epoch: 1795316881,
      dspamClass: "E",
      className: "error",
      from: "cron@example.com",
      signature: "6b025c91107101209780299",
      subject: "Cron <root@mail> run-parts /etc/cron.daily",
      dspamUser: "alice@example.com",
      status: "Delivery Failed (Delivered)",
      messageId: null,
      messageIdRaw: "",
    },
  },
  {
    name: "the blank line DSPAM writes after every user log record",
    source: "lab var/spool/dspam/data/bob@example.com/bob@example.com.log",
    line: "",
    file: "user",
    user: "bob@example.com",
    want: { kind: "unparsed", reason: "DSPAM user log record with 1 fields, expected 7" },
  },
  {
    name: "user log record read without knowing its file",
    source: `${LOCAL} (real-lines dspam-userlog.jsonl)`,
    line: '1795316857\tI\t"Bob Builder" <bob@partner.example.org>\t6b025c79101032352167843\tMeeting notes for Tuesday\tDelivered\t<20241118090000.ABC123@partner.example.org>',
    file: "user",
    want: { kind: "unparsed", reason: "DSPAM user log record without a user (file path unknown)" },
  },
  {
    name: "a user log record read as system.log has too few fields",
    source: `${LOCAL} (real-lines dspam-userlog.jsonl)`,
    line: '1795316857\tI\t"Bob Builder" <bob@partner.example.org>\t6b025c79101032352167843\tMeeting notes for Tuesday\tDelivered\t<20241118090000.ABC123@partner.example.org>',
    file: "system",
    want: { kind: "unparsed", reason: "DSPAM system log record with 7 fields, expected 9" },
  },
];

// Every table line must be a real line, verbatim.
const REAL = new Set([
  ...readFileSync(SYSTEM_LOG, "utf8").split("\n"),
  ...readFileSync(BOB_LOG, "utf8").split("\n"),
  ...realLines("dspam-userlog").map((record) => record.line),
  ...realLines("dspam-systemlog").map((record) => record.line),
]);

describe("parseDspamRecord: real system.log and <user>.log records", () => {
  for (const { name, source, line, file, user, want } of cases) {
    test(`${name} (${source})`, () => {
      assert.ok(REAL.has(line), "the line is real");
      assert.deepEqual(parseDspamRecord(line, file, user), want);
    });
  }

  test("a Message-Id holding a TAB keeps the rest of the line (constructed: DSPAM writes it unsanitised)", () => {
    const got = parseDspamRecord("1795318016\tI\ta@b\tsig\tSubj\tDelivered\t<x\ty@z>", "user", "bob");
    assert.equal(got.kind === "dspam.record" && got.messageIdRaw, "<x\ty@z>");
  });

  test("unknown class letter and missing epoch are unparsed (cut lines)", () => {
    assert.deepEqual(parseDspamRecord("1795318016\tQ\ta\tb\tc\td\te", "user", "bob"), {
      kind: "unparsed",
      reason: "unknown DSPAM class letter Q",
    });
    assert.deepEqual(parseDspamRecord("17953x8016\tI\ta\tb\tc\td\te", "user", "bob"), {
      kind: "unparsed",
      reason: "DSPAM record without epoch",
    });
  });
});

describe("dspamRecordFields", () => {
  test("counts the fields of real records, 0 for other text", () => {
    const [system] = readFileSync(SYSTEM_LOG, "utf8").split("\n");
    const [user] = readFileSync(BOB_LOG, "utf8").split("\n");
    assert.equal(dspamRecordFields(system as string), 9);
    assert.equal(dspamRecordFields(user as string), 7);
    assert.equal(dspamRecordFields(""), 0);
    assert.equal(dspamRecordFields("Nov 22 03:27:40 mail dspam[29110]: Daemon process starting"), 0);
  });
});

describe("every record of the lab's DSPAM logs parses", () => {
  test("system.log and every data/<user>/<user>.log", () => {
    const dataDir = path.join(LAB_LOGS, "var/spool/dspam/data");
    let records = 0;
    for (const line of readFileSync(SYSTEM_LOG, "utf8").split("\n")) {
      if (line === "") continue;
      assert.equal(parseDspamRecord(line, "system").kind, "dspam.record", line);
      records += 1;
    }
    for (const user of readdirSync(dataDir)) {
      const file = path.join(dataDir, user, `${user}.log`);
      for (const line of readFileSync(file, "utf8").split("\n")) {
        if (line === "") continue;
        const got = parseDspamRecord(line, "user", user);
        assert.equal(got.kind, "dspam.record", `${file}: ${line}`);
        assert.equal(got.kind === "dspam.record" && got.dspamUser, user);
        records += 1;
      }
    }
    assert.ok(records > 150, `${records} records`);
  });
});
