import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEnvelope } from "../../syslog/envelope.ts";
import { type DovecotPrefix, splitDovecotPrefix } from "./prefix.ts";
import { isRealLine, LAB } from "./test-support.ts";

const FAIL2BAN = "fail2ban/fail2ban tests/files/logs/dovecot (real-lines dovecot.jsonl)";

const cases: { name: string; source: string; line: string; want: DovecotPrefix }[] = [
  {
    name: "2.3 mail process: user, pid, session",
    source: LAB,
    line: "Nov 22 03:27:46 mail dovecot: imap(dave)<29758><F46eD9Vg6I9/AAAB>: Disconnected: Logged out in=1146 out=5056 deleted=0 expunged=0 trashed=0 hdr_count=1 hdr_bytes=72 body_count=0 body_bytes=0",
    want: {
      service: "imap",
      args: "dave",
      user: "dave",
      pid: 29758,
      session: "F46eD9Vg6I9/AAAB",
      level: "info",
      text: "Disconnected: Logged out in=1146 out=5056 deleted=0 expunged=0 trashed=0 hdr_count=1 hdr_bytes=72 body_count=0 body_bytes=0",
    },
  },
  {
    name: "LMTP session suffix :R2 for the second recipient",
    source: LAB,
    line: "Nov 22 03:27:16 mail dovecot: lmtp(dave@example.com)<29272><uLJRGxRhAmtYcgAAg+zDdQ:R2>: sieve: msgid=<20261122032656.3dd2943884.b44@example.com>: stored mail into mailbox 'INBOX'",
    want: {
      service: "lmtp",
      args: "dave@example.com",
      user: "dave@example.com",
      pid: 29272,
      session: "uLJRGxRhAmtYcgAAg+zDdQ:R2",
      level: "info",
      text: "sieve: msgid=<20261122032656.3dd2943884.b44@example.com>: stored mail into mailbox 'INBOX'",
    },
  },
  {
    name: "connection-level line: pid only",
    source: LAB,
    line: "Nov 22 03:26:56 mail dovecot: lmtp(29272): Connect from local",
    want: { service: "lmtp", args: "29272", pid: 29272, level: "info", text: "Connect from local" },
  },
  {
    name: "2.2 LMTP: pid, user and the session word",
    source: "Linode docs 'Email with Postfix, Dovecot and MySQL' (real-lines dovecot.jsonl)",
    line: "Mar 22 18:18:15 host dovecot: lmtp(22587, email1@example.com): 5GjrDafYTFE7WAAABf1gKA: msgid=<D4887A5E-DEAC-45CE-BDDF-3C89DEA84236@linode.com>: saved mail to INBOX",
    want: {
      service: "lmtp",
      args: "22587, email1@example.com",
      pid: 22587,
      user: "email1@example.com",
      session: "5GjrDafYTFE7WAAABf1gKA",
      level: "info",
      text: "msgid=<D4887A5E-DEAC-45CE-BDDF-3C89DEA84236@linode.com>: saved mail to INBOX",
    },
  },
  {
    name: "level word",
    source: LAB,
    line: "Nov 22 03:27:58 mail dovecot: master: Warning: Killed with signal 15 (by pid=29853 uid=0 code=kill)",
    want: {
      service: "master",
      level: "warning",
      text: "Killed with signal 15 (by pid=29853 uid=0 code=kill)",
    },
  },
  {
    name: "login process, no parentheses",
    source: FAIL2BAN,
    line: "Jul 02 13:49:31 hostname dovecot[442]: pop3-login: Aborted login (auth failed, 1 attempts in 17 secs): user=<test>, method=PLAIN, rip=192.51.100.13, lip=203.0.113.17, session=<YADINsQCDs5BH8Pg>",
    want: {
      service: "pop3-login",
      level: "info",
      text: "Aborted login (auth failed, 1 attempts in 17 secs): user=<test>, method=PLAIN, rip=192.51.100.13, lip=203.0.113.17, session=<YADINsQCDs5BH8Pg>",
    },
  },
];

describe("splitDovecotPrefix", () => {
  for (const { name, source, line, want } of cases) {
    test(`${name} (${source})`, () => {
      assert.ok(isRealLine(line), "the line is real");
      const envelope = parseEnvelope(line);
      assert.ok(envelope);
      assert.deepEqual(splitDovecotPrefix(envelope.message), want);
    });
  }

  test("not a prefix: garbage, cut lines, upper case, missing ': '", () => {
    for (const text of [
      "",
      "Disconnected: Logged out",
      "lmtp(29272",
      "lmtp(alice)<29272><abc",
      "lmtp(29272) Connect from local",
      ": x",
      "<script>alert(1)</script>",
    ]) {
      assert.equal(splitDovecotPrefix(text), null, text);
    }
  });

  test("a numeric user name before <pid><session> stays a user", () => {
    assert.deepEqual(splitDovecotPrefix("imap(12345)<777><abcDEF123456+/ab>: Logged out in=1 out=2"), {
      service: "imap",
      args: "12345",
      user: "12345",
      pid: 777,
      session: "abcDEF123456+/ab",
      level: "info",
      text: "Logged out in=1 out=2",
    });
  });
});
