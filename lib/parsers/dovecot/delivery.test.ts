import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { splitMsgid } from "./delivery.ts";
import { parseDovecotMessage } from "./index.ts";
import { type Case, LAB, runCases } from "./test-support.ts";

const LIGHTMETER = "lightmeterio/ControlCenter test_files/postfix_logs (real-lines dovecot.jsonl)";
const LOCAL = "Dovecot 2.3.19.1 + Pigeonhole on loopback (real-lines dovecot.jsonl)";

const saved: Case[] = [
  {
    name: "2.3 LMTP saved mail",
    source: LIGHTMETER,
    line: "Jun  3 10:40:59 mail dovecot: lmtp(user@sender.com)<9956><IkiQKTt+117kJgAAWP5Hkg>: msgid=<20200603104059.A48191855DA0@mail.sender.com>: saved mail to INBOX",
    want: {
      kind: "dovecot.saved",
      service: "lmtp",
      processId: 9956,
      session: "IkiQKTt+117kJgAAWP5Hkg",
      user: "user@sender.com",
      messageId: "20200603104059.A48191855DA0@mail.sender.com",
      mailbox: "INBOX",
      ok: true,
    },
  },
  {
    name: "2.2 LMTP `lmtp(pid, user): SESSION:` prefix",
    source: "Ubuntu Forums 2016 'mails sent from mail client not received' (real-lines dovecot.jsonl)",
    line: "Mar 15 11:36:51 Ubuntu-1404-trusty-64-minimal dovecot: lmtp(9610, lukas.mueller@marketstrategy.de): mLjfD8Pl51aKJQAA4rfF6Q: msgid=<20160315103651.2DE5B46097A@Ubuntu-1404-trusty-64-minimal.localdomain>: saved mail to INBOX",
    want: {
      kind: "dovecot.saved",
      service: "lmtp",
      processId: 9610,
      session: "mLjfD8Pl51aKJQAA4rfF6Q",
      user: "lukas.mueller@marketstrategy.de",
      messageId: "20160315103651.2DE5B46097A@Ubuntu-1404-trusty-64-minimal.localdomain",
      mailbox: "INBOX",
      ok: true,
    },
  },
  {
    name: "1.x/2.0 deliver(user)",
    source: "Ubuntu Forums 2011 'Postfix or Dovecot problem' (real-lines dovecot.jsonl)",
    line: "Jun  3 08:27:16 newmail dovecot: deliver(degcit): msgid=<20110603122716.8C06E19C1F72@newmail.testdegc.net>: saved mail to INBOX",
    want: {
      kind: "dovecot.saved",
      service: "deliver",
      user: "degcit",
      messageId: "20110603122716.8C06E19C1F72@newmail.testdegc.net",
      mailbox: "INBOX",
      ok: true,
    },
  },
  {
    name: "2.3 LDA with pid and session",
    source: LOCAL,
    line: "Nov 22 03:09:26 vm dovecot: lda(bob@example.com)<13332><+h+xDeZcAmsUNAAAg+zDdQ>: msgid=<20241118090000.ABC123@partner.example.org>: saved mail to INBOX",
    want: {
      kind: "dovecot.saved",
      service: "lda",
      processId: 13332,
      session: "+h+xDeZcAmsUNAAAg+zDdQ",
      user: "bob@example.com",
      messageId: "20241118090000.ABC123@partner.example.org",
      mailbox: "INBOX",
      ok: true,
    },
  },
];

const sieve: Case[] = [
  {
    name: "implicit keep",
    source: LAB,
    line: "Nov 22 03:27:16 mail dovecot: lmtp(dave@example.com)<29272><uLJRGxRhAmtYcgAAg+zDdQ:R2>: sieve: msgid=<20261122032656.3dd2943884.b44@example.com>: stored mail into mailbox 'INBOX'",
    want: {
      kind: "dovecot.sieve",
      service: "lmtp",
      processId: 29272,
      session: "uLJRGxRhAmtYcgAAg+zDdQ:R2",
      user: "dave@example.com",
      messageId: "20261122032656.3dd2943884.b44@example.com",
      action: "keep",
      mailbox: "INBOX",
      ok: true,
    },
  },
  {
    name: "fileinto Junk",
    source: LAB,
    line: "Nov 22 03:26:58 mail dovecot: lmtp(alice@example.com)<29272><yFH9EAJhAmtYcgAAg+zDdQ>: sieve: msgid=<20261122032656.64f4eb6820.b05@secure-verify.example.top>: fileinto action: stored mail into mailbox 'Junk'",
    want: {
      kind: "dovecot.sieve",
      service: "lmtp",
      processId: 29272,
      session: "yFH9EAJhAmtYcgAAg+zDdQ",
      user: "alice@example.com",
      messageId: "20261122032656.64f4eb6820.b05@secure-verify.example.top",
      action: "fileinto",
      mailbox: "Junk",
      ok: true,
    },
  },
  {
    name: "msgid=unspecified is a null messageId",
    source: LOCAL,
    line: "Nov 22 03:08:55 vm dovecot: lmtp(alice@example.com)<12767><MNr8KsdcAmvfMQAAg+zDdQ>: sieve: msgid=unspecified: stored mail into mailbox 'INBOX'",
    want: {
      kind: "dovecot.sieve",
      service: "lmtp",
      processId: 12767,
      session: "MNr8KsdcAmvfMQAAg+zDdQ",
      user: "alice@example.com",
      messageId: null,
      action: "keep",
      mailbox: "INBOX",
      ok: true,
    },
  },
  {
    name: "mailbox name with commas",
    source: "GitHub Java mail-log parser, source comments (real-lines dovecot.jsonl)",
    line: "Feb  1 06:06:05 afef27cd6bf6 dovecot: lda(delta)<218><sbuvCr1ufmnaAAAA8Bi3+g>: sieve: msgid=<697e6ebc.Ja2ThT4kue/ojPj8%delta@d77.jp>: fileinto action: stored mail into mailbox '10,ServerAdmin.01,jobmail'",
    want: {
      kind: "dovecot.sieve",
      service: "lda",
      processId: 218,
      session: "sbuvCr1ufmnaAAAA8Bi3+g",
      user: "delta",
      messageId: "697e6ebc.Ja2ThT4kue/ojPj8%delta@d77.jp",
      action: "fileinto",
      mailbox: "10,ServerAdmin.01,jobmail",
      ok: true,
    },
  },
  {
    name: "vacation response",
    source: "GitHub-hosted markdown sieve vacation how-to (real-lines dovecot.jsonl)",
    line: "May 23 02:35:22 mail dovecot: lmtp(ah@dinhha.online)<1170861><Kye7IfrDa2St3REA8GMZgg>: sieve: msgid=<3c7c369855757d5801ef7781db49480e@anthanh264.site>: sent vacation response to <test2@anthanh264.site>",
    want: {
      kind: "dovecot.sieve",
      service: "lmtp",
      processId: 1170861,
      session: "Kye7IfrDa2St3REA8GMZgg",
      user: "ah@dinhha.online",
      messageId: "3c7c369855757d5801ef7781db49480e@anthanh264.site",
      action: "vacation",
      target: "test2@anthanh264.site",
      ok: true,
    },
  },
  {
    name: "2.2 lmtp(user): SESSION: sieve",
    source: LIGHTMETER,
    line: "Feb  1 13:17:08 mail dovecot: lmtp(h-06819@h-b4e62aa55116.com): wArTL0TxF2AccAAAYr7Zvw: sieve: msgid=<h-9f09ba6382a7163a9a1f1da16cb@h-ac7182297368ddc0f.com>: stored mail into mailbox 'INBOX'",
    want: {
      kind: "dovecot.sieve",
      service: "lmtp",
      session: "wArTL0TxF2AccAAAYr7Zvw",
      user: "h-06819@h-b4e62aa55116.com",
      messageId: "h-9f09ba6382a7163a9a1f1da16cb@h-ac7182297368ddc0f.com",
      action: "keep",
      mailbox: "INBOX",
      ok: true,
    },
  },
  {
    name: "sieve error without msgid is a notice that keeps user and session",
    source: LOCAL,
    line: "Nov 22 03:08:55 vm dovecot: lmtp(bob@example.com)<12767><oK03KsdcAmvfMQAAg+zDdQ:R2>: Error: sieve: binary /var/lib/dovecot/default.svbin: save: failed to create temporary file: open(/var/lib/dovecot/default.svbin.) failed: Permission denied (euid=5000(vmail) egid=5000(vmail) missing +w perm: /var/lib/dovecot, dir owned by 0:0 mode=0755)",
    want: {
      kind: "dovecot.notice",
      service: "lmtp",
      user: "bob@example.com",
      processId: 12767,
      session: "oK03KsdcAmvfMQAAg+zDdQ:R2",
      level: "error",
      text: "sieve: binary /var/lib/dovecot/default.svbin: save: failed to create temporary file: open(/var/lib/dovecot/default.svbin.) failed: Permission denied (euid=5000(vmail) egid=5000(vmail) missing +w perm: /var/lib/dovecot, dir owned by 0:0 mode=0755)",
    },
  },
];

describe("LDA/LMTP saved mail", () => runCases(saved, test));
describe("Pigeonhole sieve actions", () => runCases(sieve, test));

// Shapes with no real sample in the corpus: Pigeonhole/LDA format strings filled in
// (mail-deliver.c:465 `save failed to %s: %s`, sieve-actions.c `failed to store into mailbox %s: %s`,
// cmd-redirect.c `forwarded to <%s>`, ext-vacation `discarded duplicate vacation response to <%s>`).
describe("delivery and sieve shapes known only from the source", () => {
  const prefix = "lmtp(bob@example.com)<12767><oK03KsdcAmvfMQAAg+zDdQ>: ";
  const shapes: { name: string; message: string; want: Record<string, unknown> }[] = [
    {
      name: "quota: save failed",
      message: `${prefix}Error: msgid=<a@b>: save failed to INBOX: Quota exceeded (mailbox for user is full)`,
      want: {
        kind: "dovecot.saved",
        mailbox: "INBOX",
        ok: false,
        error: "Quota exceeded (mailbox for user is full)",
      },
    },
    {
      name: "save failed to open mailbox",
      message: `${prefix}msgid=<a@b>: save failed to open mailbox Junk: Mailbox doesn't exist: Junk`,
      want: { kind: "dovecot.saved", mailbox: "Junk", ok: false, error: "Mailbox doesn't exist: Junk" },
    },
    {
      name: "sieve store failed",
      message: `${prefix}Error: sieve: msgid=<a@b>: fileinto action: failed to store into mailbox 'Junk': Mailbox doesn't exist: Junk`,
      want: { action: "fileinto", mailbox: "Junk", ok: false, error: "Mailbox doesn't exist: Junk" },
    },
    {
      name: "redirect",
      message: `${prefix}sieve: msgid=<a@b>: forwarded to <pager@example.net>`,
      want: { action: "redirect", target: "pager@example.net", ok: true },
    },
    {
      name: "duplicate vacation",
      message: `${prefix}sieve: msgid=<a@b>: discarded duplicate vacation response to <x@example.org>`,
      want: { action: "vacation", target: "x@example.org", ok: true },
    },
    {
      name: "discard",
      message: `${prefix}sieve: msgid=<a@b>: marked message to be discarded if not explicitly delivered (discard action)`,
      want: { action: "discard", ok: true },
    },
    {
      name: "newer Pigeonhole capitalises",
      message: `${prefix}sieve: msgid=<a@b>: Stored mail into mailbox 'INBOX'`,
      want: { action: "keep", mailbox: "INBOX", ok: true },
    },
  ];
  for (const { name, message, want } of shapes) {
    test(name, () => {
      const got = parseDovecotMessage("dovecot", message) as unknown as Record<string, unknown>;
      for (const [key, value] of Object.entries(want)) assert.deepEqual(got[key], value, key);
    });
  }
});

describe("splitMsgid", () => {
  test("bracketed, unspecified, unbracketed, cut", () => {
    assert.deepEqual(splitMsgid("<a@b>: saved mail to INBOX"), {
      messageId: "a@b",
      rest: "saved mail to INBOX",
    });
    assert.deepEqual(splitMsgid("unspecified: stored"), { messageId: null, rest: "stored" });
    assert.deepEqual(splitMsgid("2021-01-25 10:00:05.006274: x"), {
      messageId: "2021-01-25 10:00:05.006274",
      rest: "x",
    });
    assert.equal(splitMsgid("<a@b"), null);
  });
});
