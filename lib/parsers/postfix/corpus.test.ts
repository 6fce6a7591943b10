// Runs the whole Postfix part of the real-lines corpus (tests/fixtures/real-lines/postfix*.jsonl)
// and checks every `expect` field against the event. Lines we deliberately do not support are
// listed below as skipped tests, each with its reason; deliberately malformed upstream fixture
// lines must come out as `unparsed`.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { type RealLine, realLines } from "../../../tests/helpers/fixtures.ts";
import type { EventKind, LogEvent } from "../../core/events.ts";
import { parseEnvelope } from "../../syslog/envelope.ts";
import { parsePostfixMessage } from "./index.ts";

const STRIPPED =
  "msimerson/postfix-parser hands its sub-parsers the text after `QID: `; Postfix itself never logs this shape without the queue id, and an event without one cannot join a journey";

/** Real shapes we do not turn into events, with the reason. */
const UNSUPPORTED: Record<string, string> = {
  "postfix-message-only-0180": STRIPPED, // to=<susan.bck@example.org>, relay=…, status=sent (…)
  "postfix-message-only-0200": STRIPPED, // message-id=<3mKxs308vpz7sXd@mx14.example.net>
  "postfix-message-only-0204": STRIPPED, // uid=1206 from=<system>
  "postfix-message-only-0207": STRIPPED, // to=<rcarey@example.tv>, relay=none, … status=deferred (…)
  "postfix-message-only-0210": STRIPPED, // to=<logspam@system.alerts>, relay=local, … (forwarded as …)
  "postfix-message-only-0213": STRIPPED, // sender non-delivery notification: 3mKxYH0vl4z7sWS
  "postfix-message-only-0217": STRIPPED, // from=<spruit@example.org>, size=11445, nrcpt=1 (queue active)
  "postfix-1275":
    "the source line is cut inside to=<…> (`3mPVKl0Mhjz7sXv: to=<56597@con`): no relay, no status, nothing a delivery event could say",
};

/** Deliberately malformed lines of sergeymakinen/postfix_exporter's testdata: they must stay unparsed. */
const MALFORMED = new Set([
  "postfix-1035", // postfix-10.20.30.40/something: unsupported message
  "postfix-1175", // postfix/unknown: foo
  "postfix-1208", // smtpd: NOQUEUE: reject: Unsupported
  "postfix-1209", // smtpd: Unsupported
  "postfix-1212", // lmtp: Unsupported
  "postfix-1216", // smtp: 123456789AB: user@example.com, relay=… (no to=)
  "postfix-1217", // smtp: 123456789AB: user@example.com, relay=… (no to=)
  "postfix-1221", // smtp: Unsupported
  "postfix-1223", // cleanup: Unsupported
  "postfix-1225", // qmgr: Unsupported
]);

// The corpus' `shape` label → the event kind it must become.
const SHAPE_KIND: Record<string, EventKind> = {
  "delivery-status": "postfix.delivery",
  "qmgr-removed": "postfix.removed",
  "qmgr-queue-active": "postfix.qmgr",
  "qmgr-expired": "postfix.expired",
  "cleanup-message-id": "postfix.message-id",
  "cleanup-resent-message-id": "postfix.message-id",
  "cleanup-replace": "postfix.action",
  "cleanup-milter-reject": "postfix.action",
  "cleanup-info": "postfix.action",
  "cleanup-prepend": "postfix.action",
  "smtpd-client": "postfix.client",
  "smtpd-connect": "postfix.connect",
  "smtpd-disconnect": "postfix.disconnect",
  "smtpd-reject": "postfix.action",
  "smtpd-reject_warning": "postfix.action",
  "smtpd-filter": "postfix.action",
  "smtpd-discard": "postfix.action",
  "smtpd-milter-reject": "postfix.action",
  "smtpd-sasl-auth-failed": "postfix.sasl-failure",
  "smtpd-lost-connection": "postfix.connection-problem",
  "smtpd-timeout": "postfix.connection-problem",
  "smtpd-too-many-errors": "postfix.connection-problem",
  "postscreen-reject": "postfix.action",
  pickup: "postfix.pickup",
  "bounce-notification": "postfix.bounce",
  "postsuper-removed": "postfix.postsuper",
};

// expect fields that describe the envelope or the corpus itself, not the event.
const NOT_EVENT_FIELDS = new Set([
  "envelope",
  "timestamp",
  "host",
  "pid",
  "shape",
  "truncated",
  "trailing_whitespace",
]);

// expect field → event field, where the value is compared as is.
const SAME: Record<string, string> = {
  queue_id: "queueId",
  client_hostname: "clientName",
  client_port: "clientPort",
  sasl_method: "saslMethod",
  sasl_username: "saslUsername",
  to: "to",
  orig_to: "origTo",
  dsn: "dsn",
  status: "status",
  queued_as: "queuedAs",
  forwarded_as: "forwardedAs",
  from: "from",
  size: "size",
  nrcpt: "nrcpt",
  uid: "uid",
  action: "action",
  smtp_stage: "stage",
  bounce_queue_id: "newQueueId",
  orig_queue_id: "origQueueId",
  log_level: "category",
  daemon: "daemon",
};

function parseRecord(record: RealLine): LogEvent {
  if (record.family === "postfix-message-only") {
    // The envelope parser strips trailing blanks; message-only records come without one.
    return parsePostfixMessage(String(record.expect.program), record.line.trimEnd());
  }
  const envelope = parseEnvelope(record.line);
  assert.ok(envelope, "no envelope");
  return parsePostfixMessage(envelope.program, envelope.message);
}

function checkField(event: Record<string, unknown>, key: string, want: unknown): void {
  // Notices (TLS lines, anvil statistics) name the client only inside their text.
  if (event.kind === "postfix.notice" && key.startsWith("client_")) {
    assert.ok(String(event.text).includes(String(want)), key);
    return;
  }
  const field = SAME[key];
  if (field !== undefined) {
    assert.deepEqual(event[field], want, key);
    return;
  }
  switch (key) {
    case "program": {
      const slash = String(want).lastIndexOf("/");
      const service = slash === -1 ? want : String(want).slice(0, slash).replace(/^\/+/, "");
      assert.equal(event.service, service, "program → service");
      return;
    }
    case "noqueue":
      assert.ok(event.queueId === null || event.queueId === undefined, "noqueue → no queueId");
      return;
    case "client_ip":
      assert.equal(event.clientIp, want, key);
      return;
    case "relay":
      assert.equal((event.relay as { raw?: string } | undefined)?.raw, want, key);
      return;
    case "notification":
      assert.equal(event.notification, `${want} notification`, key);
      return;
    case "message_id":
      // The corpus keeps the raw value when it is not one <…> group; we take the first <…> group.
      if (want === "") assert.equal(event.messageId, null, key);
      else assert.ok(event.messageId === want || event.messageIdRaw === want, `${key}: ${event.messageId}`);
      return;
    default:
      assert.fail(`expect field ${key} is not mapped to an event field`);
  }
}

for (const file of ["postfix", "postfix-message-only"]) {
  describe(`real-lines ${file}.jsonl`, () => {
    for (const record of realLines(file)) {
      const name = `${record.id}: ${record.line.slice(0, 90)}`;
      const skip = UNSUPPORTED[record.id];
      if (skip !== undefined) {
        test(name, { skip }, () => {});
        continue;
      }
      test(name, () => {
        const event = parseRecord(record);
        if (MALFORMED.has(record.id)) {
          assert.equal(event.kind, "unparsed", "a malformed fixture line must not become an event");
          return;
        }
        assert.notEqual(event.kind, "unparsed", JSON.stringify(event));
        const shape = record.expect.shape as string | undefined;
        if (shape !== undefined && SHAPE_KIND[shape] !== undefined)
          assert.equal(event.kind, SHAPE_KIND[shape]);
        if (shape?.startsWith("postscreen-") && shape !== "postscreen-reject") {
          assert.equal(event.kind, "postfix.postscreen");
        }
        const fields = event as unknown as Record<string, unknown>;
        for (const [key, want] of Object.entries(record.expect)) {
          if (!NOT_EVENT_FIELDS.has(key)) checkField(fields, key, want);
        }
      });
    }
  });
}

test("the unsupported and malformed lists name records that exist", () => {
  const ids = new Set([...realLines("postfix"), ...realLines("postfix-message-only")].map((r) => r.id));
  for (const id of [...Object.keys(UNSUPPORTED), ...MALFORMED]) assert.ok(ids.has(id), id);
});
