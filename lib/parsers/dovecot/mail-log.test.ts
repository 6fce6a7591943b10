import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseDovecotMessage } from "./index.ts";
import { splitFields } from "./mail-log.ts";
import { type Case, LAB, runCases } from "./test-support.ts";

const cases: Case[] = [
  {
    name: "IMAP move into Junk: copy from INBOX",
    source: LAB,
    line: "Nov 22 03:27:46 mail dovecot: imap(dave)<29758><F46eD9Vg6I9/AAAB>: copy from INBOX: box=Junk, uid=5, msgid=<20261122032656.89f9498122.b26@b2b-leads.example.biz>, size=1967, from=newsletter@b2b-leads.example.biz, subject=Special offer for your business - Pricing for annual maintenance contract",
    want: {
      kind: "dovecot.mail-log",
      service: "imap",
      processId: 29758,
      session: "F46eD9Vg6I9/AAAB",
      user: "dave",
      event: "copy",
      messageId: "20261122032656.89f9498122.b26@b2b-leads.example.biz",
      fromMailbox: "INBOX",
      mailbox: "Junk",
      uid: 5,
      size: 1967,
      from: "newsletter@b2b-leads.example.biz",
      subject: "Special offer for your business - Pricing for annual maintenance contract",
    },
  },
  {
    name: "expunge of the source after the move",
    source: LAB,
    line: "Nov 22 03:27:46 mail dovecot: imap(dave)<29758><F46eD9Vg6I9/AAAB>: expunge: box=INBOX, uid=5, msgid=<20261122032656.89f9498122.b26@b2b-leads.example.biz>, size=1967, from=newsletter@b2b-leads.example.biz, subject=Special offer for your business - Pricing for annual maintenance contract",
    want: {
      kind: "dovecot.mail-log",
      service: "imap",
      processId: 29758,
      session: "F46eD9Vg6I9/AAAB",
      user: "dave",
      event: "expunge",
      messageId: "20261122032656.89f9498122.b26@b2b-leads.example.biz",
      mailbox: "INBOX",
      uid: 5,
      size: 1967,
      from: "newsletter@b2b-leads.example.biz",
      subject: "Special offer for your business - Pricing for annual maintenance contract",
    },
  },
  {
    name: "From with a display name, subject with a colon",
    source: LAB,
    line: "Nov 22 03:27:52 mail dovecot: imap(bob)<29798><jzT8D9Vg7qR/AAAB>: copy from INBOX: box=Trash, uid=1, msgid=<20261122032656.e0dfcbc0be.b29@monitor.example.net>, size=1351, from=Nagios Monitoring <nagios@monitor.example.net>, subject=RECOVERY: web02.example.com HTTP is OK",
    want: {
      kind: "dovecot.mail-log",
      service: "imap",
      processId: 29798,
      session: "jzT8D9Vg7qR/AAAB",
      user: "bob",
      event: "copy",
      messageId: "20261122032656.e0dfcbc0be.b29@monitor.example.net",
      fromMailbox: "INBOX",
      mailbox: "Trash",
      uid: 1,
      size: 1351,
      from: "Nagios Monitoring <nagios@monitor.example.net>",
      subject: "RECOVERY: web02.example.com HTTP is OK",
    },
  },
];

describe("mail_log plugin events", () => runCases(cases, test));

// No real sample has commas inside From/Subject, flags, or the default fields without box: the
// mail-log-plugin.c field order (box, uid, msgid, size, vsize, from, subject, flags) filled in.
describe("mail_log shapes known only from the source", () => {
  test("commas inside From and Subject, flags last", () => {
    assert.deepEqual(
      splitFields(
        'box=INBOX, uid=7, msgid=<a@b>, size=10, from="Doe, John" <j@x>, subject=Re: a, b, c, flags=(\\Seen \\Deleted)',
      ),
      {
        box: "INBOX",
        uid: "7",
        msgid: "<a@b>",
        size: "10",
        from: '"Doe, John" <j@x>',
        subject: "Re: a, b, c",
        flags: "(\\Seen \\Deleted)",
      },
    );
  });
  test("default mail_log_fields (uid msgid size): no mailbox", () => {
    const got = parseDovecotMessage("dovecot", "imap(alice)<1><s>: delete: uid=3, msgid=<a@b>, size=1200");
    assert.deepEqual(got, {
      kind: "dovecot.mail-log",
      service: "imap",
      processId: 1,
      session: "s",
      user: "alice",
      event: "delete",
      messageId: "a@b",
      uid: 3,
      size: 1200,
    });
  });
  test("hostile subject stays text", () => {
    const got = parseDovecotMessage(
      "dovecot",
      "imap(alice)<1><s>: save: box=INBOX, uid=, msgid=, size=5, subject=<script>alert(1)</script>",
    );
    assert.equal(got.kind === "dovecot.mail-log" && got.subject, "<script>alert(1)</script>");
    assert.equal(got.kind === "dovecot.mail-log" && got.messageId, null);
  });
  test("mailbox rename", () => {
    const got = parseDovecotMessage("dovecot", "imap(alice)<1><s>: Mailbox renamed: Old -> New");
    assert.equal(
      got.kind === "dovecot.mail-log" && `${got.event} ${got.fromMailbox} ${got.mailbox}`,
      "mailbox_rename Old New",
    );
  });
});
