import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { LAB_LOGS, realLines } from "../../tests/helpers/fixtures.ts";
import type { LogEvent } from "../core/events.ts";
import { parseEnvelope } from "../syslog/envelope.ts";
import { parseAntispamMessage } from "./antispam.ts";
import { parseDovecotMessage } from "./dovecot/index.ts";
import { parseDspamRecord } from "./dspam-record.ts";
import { parseDspamMessage, parseDspamSummary } from "./dspam-syslog.ts";
import { parseEvent } from "./index.ts";
import { parsePostfixMessage } from "./postfix/index.ts";

// Parsers must never throw, whatever arrives: random bytes, cut lines, 1 MB lines, hostile text.
// The inputs are generated from a fixed seed, so a failure reproduces.

function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = mulberry32(20261122);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
const CHARS = [..."\u0000\t\n\r <>()[]:;,'\"=/\\@.-_#%*abcXYZ019é€😀\u200b\ufeff"];
const HOSTILE = [
  "<script>alert(1)</script>",
  "'; DROP TABLE events; --",
  // biome-ignore lint/suspicious/noTemplateCurlyInString: the hostile input is this literal text
  "${process.exit(1)}",
  "__proto__",
  "constructor",
  "\u202e\u0000\u0007",
  "%s%s%s%n",
  "../../../../etc/passwd",
];

function randomText(max: number): string {
  const length = Math.floor(random() * max);
  let out = "";
  for (let i = 0; i < length; i++) out += pick(CHARS);
  return out;
}

function mutate(text: string): string {
  const at = Math.floor(random() * (text.length + 1));
  switch (Math.floor(random() * 5)) {
    case 0:
      return text.slice(0, at); // cut
    case 1:
      return text.slice(0, at) + pick(HOSTILE) + text.slice(at); // insert hostile text
    case 2:
      return text.slice(0, at) + randomText(8) + text.slice(at + 1); // replace a character
    case 3:
      return text.slice(at); // lost head
    default:
      return text.replace(/[a-z0-9]+@[a-z0-9.-]+/gi, pick(HOSTILE)); // hostile addresses
  }
}

// Real program messages (after the envelope) and DSPAM records to start from.
const lab = (file: string) => readFileSync(path.join(LAB_LOGS, file), "utf8").split("\n");
const realMessages = [
  ...lab("var/log/mail.log"),
  ...lab("var/log/syslog"),
  ...["dovecot", "dspam", "antispam", "postfix"].flatMap((name) => realLines(name).map((r) => r.line)),
].flatMap((line) => {
  const envelope = parseEnvelope(line);
  return envelope ? [envelope.message] : [];
});
const realRecords = [
  ...lab("var/spool/dspam/system.log"),
  ...realLines("dspam-userlog").map((r) => r.line),
  ...realLines("dspam-summary").map((r) => r.line),
];

const MB = 1_000_000;
const HUGE = [
  "a".repeat(MB),
  "<".repeat(MB),
  ", ".repeat(MB / 2),
  `imap(${"x".repeat(MB)}`,
  `lmtp(u)<1><s>: sieve: msgid=<${"x".repeat(MB)}`,
  `lmtp(u)<1><s>: msgid=${": ".repeat(MB / 2)}`,
  `imap(u)<1><s>: copy from INBOX: ${"box=, uid=, ".repeat(MB / 12)}`,
  `imap(u)<1><s>: Disconnected: Logged out ${"in=1 ".repeat(MB / 5)}`,
  `imap-login: Login: user=<${"<".repeat(MB)}`,
  `imap-login: Disconnected (${"(".repeat(MB)}): user=<>, rip=1.2.3.4`,
  `auth: passwd-file(${",".repeat(MB)}): unknown user`,
  `auth-worker(1): conn ${"x: ".repeat(MB / 3)}`,
  `X-DSPAM-Result: ${'; result="'.repeat(MB / 10)}`,
  `Unable to open file for reading: ${"/data/a".repeat(MB / 7)}: x`,
  `/usr/bin/dspam ${"--user ".repeat(MB / 7)}`,
  `${"\t".repeat(MB)}`,
  `1795318016\tI\t${"\t".repeat(MB)}`,
  `"${"x".repeat(MB)}" is exact match spam folder`,
  `mailbox_is_spam(${"(".repeat(MB)}): 1`,
];

const messages: string[] = [];
for (let i = 0; i < 3000; i++) messages.push(mutate(pick(realMessages)));
for (let i = 0; i < 1500; i++) messages.push(randomText(200));
for (const message of realMessages.slice(0, 200)) {
  for (let cut = 0; cut < message.length; cut += 7) messages.push(message.slice(0, cut));
}
for (const hostile of HOSTILE) {
  messages.push(
    `imap(${hostile})<1><s>: copy from INBOX: box=Junk, uid=3, msgid=<${hostile}>, size=1, from=${hostile}, subject=${hostile}`,
    `lmtp(${hostile})<1><s>: sieve: msgid=<${hostile}>: fileinto action: stored mail into mailbox '${hostile}'`,
    `imap-login: Login: user=<${hostile}>, method=PLAIN, rip=${hostile}, lip=1.2.3.4, mpid=1, TLS, session=<${hostile}>`,
    `/usr/bin/dspam --source=error --class=spam --signature=${hostile} --user ${hostile}`,
    `Unable to open file for reading: /var/spool/dspam/data/${hostile}/${hostile}.sig/${hostile}.sig: x`,
  );
}

const PROGRAMS = ["postfix/smtpd", "postfix/submission/smtpd", "dovecot", "lmtp", "dspam", "imap"] as const;

function assertEvent(event: LogEvent, input: string): void {
  assert.equal(typeof event.kind, "string");
  if (event.kind === "unparsed") {
    assert.ok(
      !event.reason.startsWith("parser error"),
      `${event.reason} for ${JSON.stringify(input.slice(0, 200))}`,
    );
  }
  JSON.stringify(event);
}

describe("garbage never throws", () => {
  test(`${messages.length} generated messages through parseEvent for every program family`, () => {
    for (const message of messages) {
      for (const program of PROGRAMS) assertEvent(parseEvent(program, message), message);
      assertEvent(parseEvent("imap", `antispam: ${message}`), message);
      // The parsers themselves, outside the registry's safety net.
      parseDovecotMessage("dovecot", message);
      parseDspamMessage(message);
      parseAntispamMessage(message);
      parsePostfixMessage("postfix/smtpd", message);
    }
  });

  test("generated DSPAM records and summaries", () => {
    const records = [...realRecords.map(mutate), ...messages.slice(0, 3000)];
    for (const record of records) {
      parseDspamRecord(record, "system");
      parseDspamRecord(record, "user", "alice@example.com");
      parseDspamRecord(record, "user");
      parseDspamSummary(record);
    }
  });

  test("whole lines with an envelope (cut and mutated real lines)", () => {
    for (let i = 0; i < 3000; i++) {
      const line = mutate(pick([...lab("var/log/mail.log").slice(0, 300), ...lab("var/log/syslog")]));
      const envelope = parseEnvelope(line);
      if (envelope) assertEvent(parseEvent(envelope.program, envelope.message), line);
    }
  });

  // A hang guard, not a speed test: catastrophic backtracking on 1 MiB takes minutes to hours.
  test("1 MB lines never backtrack catastrophically", () => {
    for (const huge of HUGE) {
      const started = performance.now();
      for (const program of PROGRAMS) assertEvent(parseEvent(program, huge), huge);
      assertEvent(parseEvent("imap", `antispam: ${huge}`), huge);
      parseDspamRecord(huge, "system");
      parseDspamRecord(huge, "user", "u");
      parseDspamSummary(huge);
      const ms = performance.now() - started;
      assert.ok(ms < 20_000, `${ms.toFixed(0)} ms for ${JSON.stringify(huge.slice(0, 60))}…`);
    }
  });
});
