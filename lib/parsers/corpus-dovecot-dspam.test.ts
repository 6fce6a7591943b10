import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { LAB_LOGS, type RealLine, realLines } from "../../tests/helpers/fixtures.ts";
import type { LogEvent } from "../core/events.ts";
import { parseEnvelope } from "../syslog/envelope.ts";
import { parseDspamRecord } from "./dspam-record.ts";
import { parseDspamSummary } from "./dspam-syslog.ts";
import { familyOf, parseEvent } from "./index.ts";

// The real-lines corpus (tests/fixtures/real-lines) asserts fields for every record; each one that
// names an event field is checked here. Keys about the envelope (tested in envelope.test.ts) or the
// syslog datagram are listed in NOT_EVENT_FIELDS; any other key fails the test until it is mapped.

const NOT_EVENT_FIELDS = new Set([
  "envelope",
  "timestamp",
  "host",
  "program",
  "pid",
  "log_level", // the envelope drops `Info:` of Dovecot's log file
  "trailing_whitespace",
  "syslog_facility",
  "syslog_severity",
  "format",
  "class_meaning", // descriptive text; className follows from the class letter
]);

// Deliberately unsupported: kept visible as skipped tests.
const UNSUPPORTED: Record<string, string> = {
  "other-0172":
    "`/postfix-script` is Postfix's own start/stop script: Spamtrail reads it as a Postfix daemon notice, the corpus as another program",
  "other-0200":
    "`/postfix-script` is Postfix's own start/stop script: Spamtrail reads it as a Postfix daemon notice, the corpus as another program",
  "other-0208":
    "`postfix1[12345]: foo` (a multi-instance syslog_name) goes to the Postfix parsers, which report it unparsed rather than other",
};

type Fields = Record<string, unknown>;

// expect `shape` → what the event must look like.
const SHAPES: Record<string, Fields> = {
  "lmtp-connect": { kind: "dovecot.lmtp-connection", state: "connect" },
  "lmtp-disconnect": { kind: "dovecot.lmtp-connection", state: "disconnect" },
  "sieve-stored-mail": { kind: "dovecot.sieve", ok: true },
  "sieve-sent-vacation-response": { kind: "dovecot.sieve", action: "vacation" },
  "dovecot-saved-mail": { kind: "dovecot.saved", ok: true },
  "imap-disconnected": { kind: "dovecot.logout" },
  "pop3-disconnected": { kind: "dovecot.logout" },
  "login-success": { kind: "dovecot.login", result: "login" },
  "login-auth-failed": { kind: "dovecot.login", result: "auth-failed" },
  "auth-failure": { kind: "dovecot.auth" },
  "dspam-io-open-failed": { kind: "dspam.open-failed" },
  "dspam-signature-retrieval-failed": { kind: "dspam.signature-failed" },
  "dspam-no-valid-signature": { kind: "dspam.no-valid-signature" },
  "dspam-process-error": { kind: "dspam.process-error" },
  "dspam-lda-exit": { kind: "dspam.agent-exit" },
  "dspam-daemon-start": { kind: "dspam.daemon", state: "starting" },
  "dspam-daemon-exit": { kind: "dspam.daemon", state: "exiting" },
  "dspam-attach-failed": { kind: "dspam.error" },
  "dspam-no-user": { kind: "dspam.error" },
  "dspam-misconfigured": { kind: "dspam.error" },
  "antispam-copy-decision": { kind: "antispam.copy" },
  "antispam-dspam-exec": { kind: "antispam.command" },
};

const NONE = "<None Specified>";

/** The event fields one expect key asserts, for this event. */
function expected(key: string, value: unknown, event: Fields): Fields | undefined {
  const login = event.kind === "dovecot.login" || event.kind === "dovecot.auth";
  const dspamUser = String(event.kind).startsWith("dspam.") || String(event.kind).startsWith("antispam.");
  switch (key) {
    case "shape":
      return SHAPES[value as string];
    case "service":
    case "session":
    case "mailbox":
    case "signature":
    case "path":
    case "epoch":
    case "subject":
    case "status":
    case "result":
    case "probability":
    case "confidence":
      if (key === "signature") return { signature: value === "" ? null : value };
      if (key === "subject") return { subject: value === NONE ? null : value };
      return { [key]: value };
    case "user":
    case "user_from_path":
      return login ? { login: value } : dspamUser ? { dspamUser: value } : { user: value };
    case "msgid":
    case "message_id":
      return { messageId: value };
    case "msgid_unspecified":
      return { messageId: null };
    case "message_id_raw":
      return { messageIdRaw: value };
    case "remote_ip":
      return { remoteIp: value };
    case "local_ip":
      return { localIp: value };
    case "auth_method":
      return { method: value };
    case "auth_driver":
      return { driver: value };
    case "class":
      return event.kind === "dspam.summary" ? { resultClass: value } : { dspamClass: value };
    case "from_header":
      return { from: value === NONE ? null : value };
    case "processing_seconds":
      return { processingSeconds: value };
    case "error_code":
    case "exit_code":
      return { code: value };
    case "disposition":
      return { action: value === "dropping message" ? "dropping" : value };
    case "src_spam":
      return { srcSpam: value };
    case "dst_spam":
      return { dstSpam: value };
    case "dspam_binary":
      return { binary: value };
    case "dspam_class":
      return { dspamClass: value };
    default:
      return undefined;
  }
}

function checkFields(record: RealLine, event: LogEvent): number {
  const where = `${record.id} (${record.source}): ${record.line}`;
  const got = event as unknown as Fields;
  let checked = 0;
  for (const [key, value] of Object.entries(record.expect)) {
    if (NOT_EVENT_FIELDS.has(key)) continue;
    const want = expected(key, value, got);
    assert.ok(want, `expect key ${key} has no event mapping: ${where}`);
    for (const [field, fieldValue] of Object.entries(want)) {
      assert.deepEqual(got[field], fieldValue, `${key} → ${field}: ${where} → ${JSON.stringify(event)}`);
      checked += 1;
    }
  }
  return checked;
}

function syslogEvent(record: RealLine): LogEvent {
  const envelope = parseEnvelope(record.line);
  assert.ok(envelope, `no envelope: ${record.id}: ${record.line}`);
  return parseEvent(envelope.program, envelope.message);
}

function runFamily(family: string, parse: (record: RealLine) => LogEvent): void {
  describe(`real-lines ${family}.jsonl`, () => {
    for (const record of realLines(family)) {
      const skip = UNSUPPORTED[record.id];
      if (skip) {
        test.skip(`${record.id}: ${skip}`, () => {});
        continue;
      }
      test(`${record.id} (${record.source.slice(0, 60)})`, () => {
        const event = parse(record);
        assert.notEqual(event.kind, "unparsed", `${record.id}: ${JSON.stringify(event)}`);
        checkFields(record, event);
      });
    }
  });
}

runFamily("dovecot", syslogEvent);
runFamily("dspam", syslogEvent);
runFamily("antispam", syslogEvent);
runFamily("dspam-summary", (record) => parseDspamSummary(record.line));
runFamily("dspam-userlog", (record) =>
  parseDspamRecord(record.line, "user", record.expect.user_from_path as string),
);
runFamily("dspam-systemlog", (record) => parseDspamRecord(record.line, "system"));

describe("real-lines other.jsonl: programs Spamtrail does not follow", () => {
  for (const record of realLines("other")) {
    const skip = UNSUPPORTED[record.id];
    if (skip) {
      test.skip(`${record.id}: ${skip}`, () => {});
      continue;
    }
    test(`${record.id} (${record.source.slice(0, 60)})`, () => {
      const envelope = parseEnvelope(record.line);
      if (record.expect.envelope === "unrecognised") {
        assert.equal(envelope, null, record.line);
        return;
      }
      assert.ok(envelope, record.line);
      assert.equal(familyOf(envelope.program, envelope.message), "other", record.line);
      assert.deepEqual(parseEvent(envelope.program, envelope.message), { kind: "other" });
    });
  }
});

describe("lab logs: every DSPAM, Dovecot and antispam line parses to a known kind", () => {
  const files = ["var/log/mail.log", "var/log/mail.rfc3339.log", "var/log/syslog"];
  for (const file of files) {
    test(file, () => {
      const counts: Record<string, number> = {};
      for (const line of readFileSync(path.join(LAB_LOGS, file), "utf8").split("\n")) {
        if (line === "") continue;
        const envelope = parseEnvelope(line);
        assert.ok(envelope, `no envelope: ${line}`);
        const family = familyOf(envelope.program, envelope.message);
        if (family === "postfix" || family === "other") continue;
        const event = parseEvent(envelope.program, envelope.message);
        assert.notEqual(event.kind, "unparsed", `${file}: ${line} → ${JSON.stringify(event)}`);
        counts[family] = (counts[family] ?? 0) + 1;
      }
      assert.ok(Object.keys(counts).length > 0, "the file has lines of the followed programs");
    });
  }

  test("var/spool/dspam: system.log and every per-user log", () => {
    const spool = path.join(LAB_LOGS, "var/spool/dspam");
    const read = (file: string) =>
      readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => line !== "");
    for (const line of read(path.join(spool, "system.log"))) {
      assert.equal(parseDspamRecord(line, "system").kind, "dspam.record", line);
    }
    for (const user of readdirSync(path.join(spool, "data"))) {
      for (const line of read(path.join(spool, "data", user, `${user}.log`))) {
        assert.equal(parseDspamRecord(line, "user", user).kind, "dspam.record", line);
      }
    }
  });

  test("the lab's story is visible: a retrain aimed at DSPAM user `bob` and DSPAM's reply", () => {
    const mail = readFileSync(path.join(LAB_LOGS, "var/log/mail.log"), "utf8").split("\n");
    const syslog = readFileSync(path.join(LAB_LOGS, "var/log/syslog"), "utf8").split("\n");
    const events = [...syslog, ...mail].flatMap((line) => {
      const envelope = parseEnvelope(line);
      return envelope ? [parseEvent(envelope.program, envelope.message)] : [];
    });
    const retrain = events.find((e) => e.kind === "antispam.command" && e.dspamUser === "bob");
    assert.ok(retrain && retrain.kind === "antispam.command");
    const failed = events.find((e) => e.kind === "dspam.open-failed" && e.signature === retrain.signature);
    assert.ok(failed && failed.kind === "dspam.open-failed");
    assert.equal(failed.dspamUser, "bob");
  });
});
