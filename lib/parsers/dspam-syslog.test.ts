import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { LAB_LOGS, realLines } from "../../tests/helpers/fixtures.ts";
import type { LogEvent } from "../core/events.ts";
import { parseEnvelope } from "../syslog/envelope.ts";
import { dspamPathOwner, parseDspamMessage, parseDspamSummary } from "./dspam-syslog.ts";
import { parseEvent } from "./index.ts";

const LAB = "prisma/demo/lab-double-expansion/logs/var/log/mail.log";
const FORUM_2010 = "Ubuntu Forums 2010 'postfix + dspam wrong path for digest' (real-lines dspam.jsonl)";
const FORUM_2007 = "Ubuntu Forums 2007 'Amavisd-new and DSPAM error' (real-lines dspam.jsonl)";
const LOCAL = "DSPAM 3.10.2 run on loopback (real-lines dspam.jsonl)";

function eventOf(line: string): LogEvent {
  const envelope = parseEnvelope(line);
  assert.ok(envelope, `no envelope: ${line}`);
  return parseEvent(envelope.program, envelope.message);
}

const cases: { name: string; source: string; line: string; want: LogEvent }[] = [
  {
    name: "signature file missing, default layout data/<user>/<user>.sig",
    source: LAB,
    line: "Nov 22 03:27:40 mail dspam[29110]: Unable to open file for reading: /var/spool/dspam/data/bob/bob.sig/6b026104291109951226246.sig: No such file or directory",
    want: {
      kind: "dspam.open-failed",
      path: "/var/spool/dspam/data/bob/bob.sig/6b026104291109951226246.sig",
      reason: "No such file or directory",
      dspamUser: "bob",
      signature: "6b026104291109951226246",
    },
  },
  {
    name: "signature file missing, domain-scale data/local/<user>",
    source: FORUM_2010,
    line: "Apr  7 22:27:03 rat dspam[19665]: Unable to open file for reading: /var/spool/dspam/data/local/rjt/rjt.sig/4bbcf8a653512168214050.sig: No such file or directory",
    want: {
      kind: "dspam.open-failed",
      path: "/var/spool/dspam/data/local/rjt/rjt.sig/4bbcf8a653512168214050.sig",
      reason: "No such file or directory",
      dspamUser: "rjt",
      signature: "4bbcf8a653512168214050",
    },
  },
  {
    name: "lock file not readable: user, no signature",
    source: FORUM_2007,
    line: "May 24 15:22:35 dspam dspam[13745]: Unable to open file for reading: /var/spool/dspam/data/local/amavis/amavis.lock: Permission denied",
    want: {
      kind: "dspam.open-failed",
      path: "/var/spool/dspam/data/local/amavis/amavis.lock",
      reason: "Permission denied",
      dspamUser: "amavis",
    },
  },
  {
    name: "RFC3339 envelope, user with domain",
    source: LOCAL,
    line: "2026-11-22T03:07:43.728353+00:00 vm dspam[10272]: Unable to open file for reading: /var/spool/dspam/data/alice@example.com/alice@example.com.sig/0123456789abcdef0123.sig: No such file or directory",
    want: {
      kind: "dspam.open-failed",
      path: "/var/spool/dspam/data/alice@example.com/alice@example.com.sig/0123456789abcdef0123.sig",
      reason: "No such file or directory",
      dspamUser: "alice@example.com",
      signature: "0123456789abcdef0123",
    },
  },
  {
    name: "signature retrieval failed",
    source: LAB,
    line: "Nov 22 03:27:40 mail dspam[29110]: Signature retrieval for '6b026104291109951226246' failed",
    want: { kind: "dspam.signature-failed", signature: "6b026104291109951226246" },
  },
  {
    name: "no valid signature",
    source: LAB,
    line: "Nov 22 03:27:40 mail dspam[29110]: Unable to find a valid signature. Aborting.",
    want: { kind: "dspam.no-valid-signature" },
  },
  {
    name: "process_message error, dropping (two spaces)",
    source: LAB,
    line: "Nov 22 03:27:40 mail dspam[29110]: process_message returned error -5.  dropping message.",
    want: { kind: "dspam.process-error", code: -5, action: "dropping" },
  },
  {
    name: "process_message error, delivering",
    source: FORUM_2007,
    line: "May 24 15:22:35 dspam dspam[13745]: process_message returned error -2.  delivering.",
    want: { kind: "dspam.process-error", code: -2, action: "delivering" },
  },
  {
    name: "delivery agent exit code, trailing space dropped",
    source: LOCAL,
    line: "Nov 22 03:08:01 vm dspam[10710]: Delivery agent returned exit code 1: /bin/false ",
    want: { kind: "dspam.agent-exit", code: 1, command: "/bin/false" },
  },
  {
    name: "daemon start",
    source: LAB,
    line: "Nov 22 03:26:50 mail dspam[29110]: Daemon process starting",
    want: { kind: "dspam.daemon", state: "starting" },
  },
  {
    name: "daemon signal",
    source: LAB,
    line: "Nov 22 03:28:01 mail dspam[29110]: Daemon terminating on signal 15",
    want: { kind: "dspam.daemon", state: "terminating", signal: 15 },
  },
  {
    name: "daemon waiting for threads",
    source: LAB,
    line: "Nov 22 03:28:01 mail dspam[29110]: Received signal. Waiting for processing threads to exit.",
    want: { kind: "dspam.daemon", state: "stopping" },
  },
  {
    name: "daemon threads terminated",
    source: LAB,
    line: "Nov 22 03:28:01 mail dspam[29110]: Processing threads terminated.",
    want: { kind: "dspam.daemon", state: "threads-terminated" },
  },
  {
    name: "daemon exit",
    source: LAB,
    line: "Nov 22 03:28:01 mail dspam[29110]: Daemon process exiting",
    want: { kind: "dspam.daemon", state: "exiting" },
  },
  {
    name: "attach failure is an error",
    source: FORUM_2007,
    line: "May 24 15:22:35 dspam dspam[13745]: Unable to attach DSPAM context",
    want: { kind: "dspam.error", text: "Unable to attach DSPAM context" },
  },
  {
    name: "directory creation failure is an error",
    source: FORUM_2007,
    line: "May 24 15:22:34 dspam dspam[13745]: Unable to create directory: /var/spool/dspam/data/local: Permission denied",
    want: {
      kind: "dspam.error",
      text: "Unable to create directory: /var/spool/dspam/data/local: Permission denied",
    },
  },
  {
    name: "no --user",
    source: LOCAL,
    line: "Nov 22 03:07:43 vm dspam[10279]: Unable to determine the destination user",
    want: { kind: "dspam.error", text: "Unable to determine the destination user" },
  },
  {
    name: "agent misconfigured",
    source: LOCAL,
    line: "Nov 22 03:07:43 vm dspam[10279]: DSPAM agent misconfigured: aborting",
    want: { kind: "dspam.error", text: "DSPAM agent misconfigured: aborting" },
  },
  {
    name: "exit status of the delivery agent",
    source: LOCAL,
    line: "Nov 22 03:08:10 vm dspam[10886]: Error getting exit status of delivery agent: : Broken pipe",
    want: { kind: "dspam.error", text: "Error getting exit status of delivery agent: : Broken pipe" },
  },
];

// Every table line must be a real line, verbatim, from the lab or the real-lines corpus.
const REAL = new Set([
  ...readFileSync(path.join(LAB_LOGS, "var/log/mail.log"), "utf8").split("\n"),
  ...realLines("dspam").map((record) => record.line),
]);

describe("parseDspamMessage: real dspam[pid]: lines", () => {
  for (const { name, source, line, want } of cases) {
    test(`${name} (${source})`, () => {
      assert.ok(REAL.has(line), "the line is real");
      assert.deepEqual(eventOf(line), want);
    });
  }
});

// TrackSources and the storage drivers have no public sample; these are the format strings of
// REL_3_10_2 (dspam.c:3846-3863, mysql_drv.c) filled in, kept apart from the real lines.
describe("parseDspamMessage: shapes known only from the source", () => {
  const fromSource: { name: string; message: string; want: LogEvent }[] = [
    {
      name: "TrackSources spam",
      message: "spam detected from 192.0.2.7",
      want: { kind: "dspam.source", verdict: "spam", clientIp: "192.0.2.7" },
    },
    {
      name: "TrackSources innocent",
      message: "innocent message from 198.51.100.1",
      want: { kind: "dspam.source", verdict: "innocent", clientIp: "198.51.100.1" },
    },
    {
      name: "TrackSources virus",
      message: "infected message from 203.0.113.9",
      want: { kind: "dspam.source", verdict: "virus", clientIp: "203.0.113.9" },
    },
    {
      name: "daemon bind",
      message: "Binding to 127.0.0.1:2424",
      want: { kind: "dspam.daemon", state: "binding", detail: "127.0.0.1:2424" },
    },
    {
      name: "storage driver error with function prefix",
      message: "_mysql_drv_query_error: [1205] Lock wait timeout exceeded",
      want: { kind: "dspam.error", text: "_mysql_drv_query_error: [1205] Lock wait timeout exceeded" },
    },
    {
      name: "unknown text stays visible as unparsed",
      message: "Something DSPAM never wrote",
      want: { kind: "unparsed", reason: "unknown dspam message" },
    },
    {
      name: "cut line",
      message: "process_message returned error -",
      want: { kind: "unparsed", reason: "DSPAM process_message line of unknown shape" },
    },
  ];
  for (const { name, message, want } of fromSource) {
    test(name, () => assert.deepEqual(parseDspamMessage(message), want));
  }
});

describe("dspamPathOwner: the DSPAM user from a hash-driver path", () => {
  const paths: { path: string; want: ReturnType<typeof dspamPathOwner> }[] = [
    {
      path: "/var/spool/dspam/data/dave/dave.sig/6b02610c291101861615497.sig",
      want: { dspamUser: "dave", signature: "6b02610c291101861615497" },
    },
    // Debian domain scale: the forum thread's classify-as-rjt@mydomain.net case.
    {
      path: "/var/spool/dspam/data/mydomain.net/rjt/rjt.sig/4bbcf8a653512168214050.sig",
      want: { dspamUser: "rjt@mydomain.net", signature: "4bbcf8a653512168214050" },
    },
    {
      path: "/var/spool/dspam/data/a/l/alice/alice.sig/abc.sig",
      want: { dspamUser: "alice", signature: "abc" },
    },
    { path: "/var/spool/dspam/data/local/amavis/amavis.lock", want: { dspamUser: "amavis" } },
    { path: "/etc/dspam/dspam.conf", want: {} },
    { path: "/var/spool/dspam/data/", want: {} },
  ];
  for (const { path, want } of paths) {
    test(path, () => assert.deepEqual(dspamPathOwner(path), want));
  }
});

describe("parseDspamSummary (real-lines dspam-summary.jsonl, DSPAM 3.10.2 on loopback)", () => {
  test("spam with signature", () => {
    assert.deepEqual(
      parseDspamSummary(
        'X-DSPAM-Result: alice@example.com; result="Spam"; class="Spam"; probability=1.0000; confidence=0.83; signature=6b025c9a108868754795807',
      ),
      {
        kind: "dspam.summary",
        dspamUser: "alice@example.com",
        result: "Spam",
        resultClass: "Spam",
        probability: 1,
        confidence: 0.83,
        signature: "6b025c9a108868754795807",
      },
    );
  });
  test("--classify: signature=N/A is null", () => {
    assert.deepEqual(
      parseDspamMessage(
        'X-DSPAM-Result: alice@example.com; result="Innocent"; class="Innocent"; probability=0.0000; confidence=1.00; signature=N/A',
      ),
      {
        kind: "dspam.summary",
        dspamUser: "alice@example.com",
        result: "Innocent",
        resultClass: "Innocent",
        probability: 0,
        confidence: 1,
        signature: null,
      },
    );
  });
  test("cut line is unparsed", () => {
    assert.equal(parseDspamSummary('X-DSPAM-Result: alice@example.com; result="Spam"; cla').kind, "unparsed");
  });
});
