import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseDovecotMessage } from "./index.ts";
import { type Case, LAB, runCases } from "./test-support.ts";

// The dispatcher: which module gets a line, and what happens to lines no module knows.
const cases: Case[] = [
  {
    name: "master start-up is a notice",
    source: LAB,
    line: "Nov 22 03:26:51 mail dovecot: master: Dovecot v2.3.19.1 (9b53102964) starting up for imap, lmtp (core dumps disabled)",
    want: {
      kind: "dovecot.notice",
      service: "master",
      level: "info",
      text: "Dovecot v2.3.19.1 (9b53102964) starting up for imap, lmtp (core dumps disabled)",
    },
  },
  {
    name: "master warning keeps its level",
    source: LAB,
    line: "Nov 22 03:27:58 mail dovecot: master: Warning: Killed with signal 15 (by pid=29853 uid=0 code=kill)",
    want: {
      kind: "dovecot.notice",
      service: "master",
      level: "warning",
      text: "Killed with signal 15 (by pid=29853 uid=0 code=kill)",
    },
  },
];

describe("parseDovecotMessage dispatch", () => {
  runCases(cases, test);

  test("unknown info line of a mail process is unparsed (constructed)", () => {
    assert.deepEqual(parseDovecotMessage("dovecot", "imap(alice)<1><s>: something Dovecot never wrote"), {
      kind: "unparsed",
      reason: "unknown dovecot imap line",
    });
  });

  test("error line of a mail process is a notice (constructed)", () => {
    assert.deepEqual(parseDovecotMessage("dovecot", "imap(alice)<1><s>: Error: Mailbox INBOX: Broken file"), {
      kind: "dovecot.notice",
      service: "imap",
      user: "alice",
      processId: 1,
      session: "s",
      level: "error",
      text: "Mailbox INBOX: Broken file",
    });
  });

  test("antispam debug routed through Dovecot's own log (constructed)", () => {
    assert.deepEqual(
      parseDovecotMessage(
        "dovecot",
        "imap(alice)<1><s>: antispam: mail copy: src spam: 1, dst spam: 0, src unsure: 0",
      ),
      {
        kind: "antispam.copy",
        srcSpam: true,
        dstSpam: false,
        srcUnsure: false,
      },
    );
  });

  test("journald tag of the process itself: lmtp[123] (constructed)", () => {
    assert.deepEqual(parseDovecotMessage("lmtp", "Connect from local"), {
      kind: "dovecot.lmtp-connection",
      service: "lmtp",
      state: "connect",
      peer: "local",
    });
  });

  test("PAM under the dovecot-auth ident (constructed from the fail2ban Dovecot log file line)", () => {
    assert.deepEqual(
      parseDovecotMessage(
        "dovecot-auth",
        "pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=web rhost=176.61.140.224",
      ),
      {
        kind: "dovecot.auth",
        service: "dovecot-auth",
        result: "failed",
        driver: "pam_unix",
        detail: "authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=web rhost=176.61.140.224",
        remoteIp: "176.61.140.224",
      },
    );
  });

  test("no prefix at all is unparsed", () => {
    assert.deepEqual(parseDovecotMessage("dovecot", "Jan 1 junk"), {
      kind: "unparsed",
      reason: "no dovecot service prefix",
    });
  });
});
