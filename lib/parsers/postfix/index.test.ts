// The Postfix entry point: tag splitting, dispatch, and what garbage turns into.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { realLines } from "../../../tests/helpers/fixtures.ts";
import { parseEnvelope } from "../../syslog/envelope.ts";
import { parsePostfixMessage, splitPostfixTag } from "./index.ts";

describe("splitPostfixTag", () => {
  const cases: { tag: string; want: { service: string; daemon: string } | null; source: string }[] = [
    { tag: "postfix/smtpd", want: { service: "postfix", daemon: "smtpd" }, source: "every Postfix log" },
    {
      tag: "postfix/submission/smtpd",
      want: { service: "postfix/submission", daemon: "smtpd" },
      source: "lab mail.log",
    },
    {
      tag: "postfix-smo/submission/smtpd",
      want: { service: "postfix-smo/submission", daemon: "smtpd" },
      source: "real-lines postfix-1081",
    },
    {
      tag: "postfix-10.20.30.40/smtp",
      want: { service: "postfix-10.20.30.40", daemon: "smtp" },
      source: "postfix-1031",
    },
    {
      tag: "postfix-script",
      want: { service: "postfix-script", daemon: "postfix-script" },
      source: "log-formats §0",
    },
    {
      tag: "/postfix-script",
      want: { service: "", daemon: "postfix-script" },
      source: "log-formats §0 (leading slash)",
    },
    {
      tag: "mta-in/smtpd",
      want: { service: "mta-in", daemon: "smtpd" },
      source: "syslog_name without 'postfix'",
    },
    { tag: "dovecot", want: null, source: "lab mail.log" },
    { tag: "dspam", want: null, source: "lab mail.log" },
    { tag: "amavis", want: null, source: "real-lines other.jsonl" },
    { tag: "lightmeter/headers", want: null, source: "log-formats §0 (custom tag)" },
  ];
  for (const c of cases) {
    test(`${c.tag} (${c.source})`, () => assert.deepEqual(splitPostfixTag(c.tag), c.want));
  }

  test("the cached split is frozen, so no caller can change it for the next line", () => {
    const tag = splitPostfixTag("postfix/qmgr");
    assert.ok(tag && Object.isFrozen(tag));
    assert.equal(splitPostfixTag("postfix/qmgr"), tag);
  });
});

describe("parsePostfixMessage dispatch", () => {
  test("a program that is not Postfix is unparsed, not guessed", () => {
    assert.deepEqual(parsePostfixMessage("dovecot", "lmtp(29272): Connect from local"), {
      kind: "unparsed",
      reason: "not a Postfix program",
    });
  });

  test("an unknown daemon under a Postfix syslog_name says so", () => {
    assert.deepEqual(parsePostfixMessage("postfix-10.20.30.40/something", "unsupported message"), {
      kind: "unparsed",
      reason: "unknown postfix daemon something",
    });
  });

  test("an unknown line of a known daemon names the daemon", () => {
    assert.deepEqual(parsePostfixMessage("postfix/qmgr", "Unsupported"), {
      kind: "unparsed",
      reason: "unknown qmgr line",
    });
    assert.deepEqual(parsePostfixMessage("postfix/qmgr", "08ACF1541B01: frobnicated"), {
      kind: "unparsed",
      reason: "unknown qmgr line after a queue id",
    });
  });

  test("generic notices work for daemons without a parser of their own", () => {
    assert.equal(
      parsePostfixMessage("postfix/trivial-rewrite", "warning: virtual_alias_domains lookup failure").kind,
      "postfix.notice",
    );
  });
});

// A small deterministic PRNG so the fuzz cases are the same on every run.
function prng(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) & 0x7fffffff;
    return state / 0x7fffffff;
  };
}

const DAEMONS = [
  "smtpd",
  "cleanup",
  "qmgr",
  "pickup",
  "bounce",
  "postsuper",
  "postscreen",
  "smtp",
  "lmtp",
  "local",
  "master",
  "anvil",
];

describe("garbage in never throws", () => {
  const messages = realLines("postfix").flatMap((r) => {
    const envelope = parseEnvelope(r.line);
    return envelope ? [envelope.message] : [];
  });

  test("every real message cut at every length, under every daemon", () => {
    for (const message of messages.slice(0, 400)) {
      for (let end = 0; end <= message.length; end += 3) {
        const cut = message.slice(0, end);
        for (const daemon of DAEMONS) parsePostfixMessage(`postfix/${daemon}`, cut);
      }
    }
  });

  test("random splices of real messages and odd characters", () => {
    const random = prng(42);
    const pieces = [
      "<",
      ">",
      "[",
      "]",
      ":",
      ": ",
      "; ",
      ", ",
      "=",
      "from ",
      " to=<",
      "NOQUEUE: ",
      "\u0000",
      "\n",
      "é",
      "<script>alert(1)</script>",
    ];
    for (let i = 0; i < 20000; i++) {
      const a = messages[Math.floor(random() * messages.length)] ?? "";
      const b = messages[Math.floor(random() * messages.length)] ?? "";
      const at = Math.floor(random() * a.length);
      const piece = pieces[Math.floor(random() * pieces.length)] ?? "";
      const text = a.slice(0, at) + piece + b.slice(Math.floor(random() * b.length));
      const daemon = DAEMONS[Math.floor(random() * DAEMONS.length)] ?? "smtpd";
      const event = parsePostfixMessage(`postfix/${daemon}`, text);
      assert.equal(typeof event.kind, "string");
    }
  });

  test("HTML in a message is kept as text, not interpreted", () => {
    const event = parsePostfixMessage(
      "postfix/smtpd",
      "NOQUEUE: reject: RCPT from unknown[192.0.2.1]: 550 5.1.1 <script>alert(1)</script>: Recipient address rejected; from=<a@b> to=<c@d> proto=ESMTP helo=<<img src=x>>",
    );
    assert.equal(event.kind, "postfix.action");
    assert.ok(
      event.kind === "postfix.action" && event.reply.includes("<script>") && event.helo === "<img src=x>",
    );
  });

  // Not a speed test (speed is bench:parse's job): catastrophic backtracking on a 1 MiB line takes
  // minutes to hours, so a bound far above any loaded machine's time only catches that.
  test("1 MB lines never backtrack catastrophically", () => {
    const big = [
      "A".repeat(1 << 20),
      `3mPVKl0Mhjz${"z".repeat(1 << 20)}`,
      `0F5383D: to=<${"x".repeat(1 << 20)}`,
      `0F5383D: to=<a@b>, relay=none, delay=1, delays=1/1/1/1, dsn=2.0.0, status=sent (${"(".repeat(1 << 20)}`,
      `NOQUEUE: reject: RCPT from ${"[".repeat(1 << 20)}`,
      `NOQUEUE: reject: RCPT from a[1.2.3.4]: 550 x${"; from=<".repeat(1 << 17)}`,
      `0F5383D: replace: header X: ${" from a[1.2.3.4];".repeat(1 << 16)}`,
      `warning: ${"unknown[1.2.3.4]: SASL ".repeat(1 << 16)}`,
      `PASS OLD ${"[1.2.3.4]:".repeat(1 << 17)}`,
      `disconnect from a[1.2.3.4]${" ehlo=1".repeat(1 << 17)}`,
    ];
    for (const text of big) {
      for (const daemon of DAEMONS) {
        const start = performance.now();
        parsePostfixMessage(`postfix/${daemon}`, text);
        const ms = performance.now() - start;
        assert.ok(ms < 10_000, `${daemon} took ${ms.toFixed(0)} ms on ${text.slice(0, 40)}…`);
      }
    }
  });
});
