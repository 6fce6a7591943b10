// Every Postfix line the real lab pipeline wrote (Postfix 3.7.11 + DSPAM LMTP + Dovecot LMTP, see
// prisma/demo/lab-double-expansion/README.md) must become an event of a known kind.
import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { LAB_LOGS } from "../../../tests/helpers/fixtures.ts";
import type { Delivery, LogEvent } from "../../core/events.ts";
import { parseEnvelope } from "../../syslog/envelope.ts";
import { parsePostfixMessage, splitPostfixTag } from "./index.ts";

const LOG_DIR = path.join(LAB_LOGS, "var", "log");

function postfixEvents(file: string): { line: string; event: LogEvent }[] {
  const out: { line: string; event: LogEvent }[] = [];
  for (const line of readFileSync(path.join(LOG_DIR, file), "utf8").split("\n")) {
    const envelope = line === "" ? null : parseEnvelope(line);
    if (!envelope || !splitPostfixTag(envelope.program)) continue;
    out.push({ line, event: parsePostfixMessage(envelope.program, envelope.message) });
  }
  return out;
}

describe("lab-double-expansion logs", () => {
  for (const file of readdirSync(LOG_DIR)) {
    test(`${file}: no Postfix line is unparsed`, () => {
      const events = postfixEvents(file);
      const unparsed = events.filter(({ event }) => event.kind === "unparsed").map(({ line }) => line);
      assert.deepEqual(unparsed, []);
    });
  }

  test("mail.log: the Postfix lines and the kinds they become", () => {
    const counts: Record<string, number> = {};
    for (const { event } of postfixEvents("mail.log")) counts[event.kind] = (counts[event.kind] ?? 0) + 1;
    assert.deepEqual(counts, {
      "postfix.notice": 12,
      "postfix.connect": 149,
      "postfix.client": 145,
      "postfix.message-id": 151,
      "postfix.qmgr": 151,
      "postfix.disconnect": 149,
      "postfix.delivery": 214,
      "postfix.removed": 149,
      "postfix.action": 2,
      "postfix.bounce": 3,
      "postfix.pickup": 3,
      "postfix.sasl-failure": 3,
    });
  });

  test("mail.log: every hand-over to DSPAM is accepted, every Dovecot LMTP delivery has a session", () => {
    const deliveries = postfixEvents("mail.log")
      .map(({ event }) => event)
      .filter((event): event is Delivery => event.kind === "postfix.delivery");
    const toDspam = deliveries.filter((d) => d.relay.socket === "/var/run/dspam/dspam.sock");
    const toDovecot = deliveries.filter(
      (d) => d.relay.socket === "private/dovecot-lmtp" && d.status === "sent",
    );
    assert.ok(toDspam.length > 50 && toDovecot.length > 50);
    for (const d of toDspam) assert.equal(d.dspamAccepted, true, d.reply);
    for (const d of toDovecot) assert.match(d.session ?? "", /^[A-Za-z0-9+/]{22}(?::R\d+)?$/, d.reply);
  });
});
