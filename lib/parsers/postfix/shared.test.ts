// Queue ids, clients and reply codes, the pieces every daemon parser leans on.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { isQueueId, leadingQueueId, readClient, replyCodes } from "./shared.ts";

describe("queue ids (log-formats §1.1)", () => {
  const cases: { id: string; want: boolean; source: string }[] = [
    { id: "0F5383D", want: true, source: "short id, 7 hex" },
    { id: "AB5501855DA0", want: true, source: "short id, 12 hex" },
    { id: "ED06590130AA1C9D6D862", want: true, source: "real-lines postfix-message-only-0090" },
    { id: "3mPVKl0Mhjz7sXv", want: true, source: "long id, msimerson" },
    { id: "4G6yC35YlszCx5Pk", want: true, source: "long id, real-lines" },
    { id: "3p7RMT0zrYz20p", want: true, source: "long id, real-lines postfix-1277" },
    { id: "NOQUEUE", want: false, source: "smtpd before a queue file exists" },
    { id: "ABCDE", want: false, source: "too short" },
    { id: "abcdef12", want: false, source: "lower-case hex is not a short id" },
    { id: "3mPVKl0Mhj7sXv", want: false, source: "long-id alphabet but no z separator" },
    { id: "3mPVKlaMhjz7sXv", want: false, source: "vowels are not in the long-id alphabet" },
  ];
  for (const c of cases) test(`${c.id}: ${c.source}`, () => assert.equal(isQueueId(c.id), c.want));

  test("leadingQueueId needs the ': ' after the id", () => {
    assert.equal(leadingQueueId("08ACF1541B01: removed"), "08ACF1541B01");
    assert.equal(leadingQueueId("08ACF1541B01:removed"), null);
    assert.equal(leadingQueueId("NOQUEUE: reject: RCPT from x[1.2.3.4]: 550"), null);
    assert.equal(leadingQueueId("10.0.0.17: hostname pc-00017 verification failed"), null);
    assert.equal(leadingQueueId(`${"A".repeat(40)}: x`), null);
  });
});

describe("clients: name[addr]:port", () => {
  const cases: { text: string; want: ReturnType<typeof readClient>; source: string }[] = [
    { text: "localhost[127.0.0.1]", want: { name: "localhost", ip: "127.0.0.1", end: 20 }, source: "lab" },
    {
      text: "unknown[2001:980:cfb1:1:82f:f74e:a45c:3033]",
      want: { name: "unknown", ip: "2001:980:cfb1:1:82f:f74e:a45c:3033", end: 43 },
      source: "real-lines postfix-message-only-0133",
    },
    {
      text: "unknown[unknown]",
      want: { name: "unknown", ip: "unknown", end: 16 },
      source: "real-lines postfix-message-only-0157",
    },
    {
      text: "unknown[192.0.2.237]:55729: SASL",
      want: { name: "unknown", ip: "192.0.2.237", port: 55729, end: 26 },
      source: "real-lines postfix-1104",
    },
    {
      text: "[216.245.194.173]:60591",
      want: { name: "", ip: "216.245.194.173", port: 60591, end: 23 },
      source: "postscreen",
    },
    {
      text: "unknown[181.21.131.88]:",
      want: { name: "unknown", ip: "181.21.131.88", end: 22 },
      source: "postfix-1073",
    },
    {
      text: "Connection rate limit exceeded: 31 from x[1.2.3.4]",
      want: null,
      source: "a warning, not a client",
    },
    { text: "unknown[1.2.3.4", want: null, source: "cut line" },
  ];
  for (const c of cases)
    test(`${c.text} (${c.source})`, () => assert.deepEqual(readClient(c.text, 0), c.want));
});

describe("reply codes", () => {
  const cases: { reply: string; want: { code?: string; dsn?: string } }[] = [
    { reply: "550 5.1.1 <x@example.com>: Recipient address rejected", want: { code: "550", dsn: "5.1.1" } },
    { reply: "550-5.7.1 [2607:4100:3:25:100::2      12] Our system", want: { code: "550", dsn: "5.7.1" } },
    { reply: "550 5.12.345 <user@example.com>: Some error", want: { code: "550", dsn: "5.12.345" } },
    { reply: "451 DT:SPM 163", want: { code: "451" } },
    { reply: "4.7.1 Try again later", want: { dsn: "4.7.1" } },
    { reply: "<>: Sender address triggers FILTER smtp-amavis:[127.0.0.1]:10026", want: {} },
    { reply: "", want: {} },
  ];
  for (const c of cases) test(JSON.stringify(c.reply), () => assert.deepEqual(replyCodes(c.reply), c.want));
});
