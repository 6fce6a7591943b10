import { describe, test } from "node:test";
import { type Case, LAB, runCases } from "./test-support.ts";

const LIGHTMETER = "lightmeterio/ControlCenter test_files/postfix_logs (real-lines dovecot.jsonl)";

const lmtp: Case[] = [
  {
    name: "connect, pid only",
    source: LAB,
    line: "Nov 22 03:26:56 mail dovecot: lmtp(29272): Connect from local",
    want: {
      kind: "dovecot.lmtp-connection",
      service: "lmtp",
      processId: 29272,
      state: "connect",
      peer: "local",
    },
  },
  {
    name: "disconnect with reason",
    source: LAB,
    line: "Nov 22 03:26:56 mail dovecot: lmtp(29272): Disconnect from local: Logged out (state=READY)",
    want: {
      kind: "dovecot.lmtp-connection",
      service: "lmtp",
      processId: 29272,
      state: "disconnect",
      peer: "local",
      reason: "Logged out (state=READY)",
    },
  },
  {
    name: "disconnect, connection closed by the client",
    source: LAB,
    line: "Nov 22 03:27:11 mail dovecot: lmtp(29272): Disconnect from local: Connection closed (state=READY)",
    want: {
      kind: "dovecot.lmtp-connection",
      service: "lmtp",
      processId: 29272,
      state: "disconnect",
      peer: "local",
      reason: "Connection closed (state=READY)",
    },
  },
  {
    name: "TCP peer, RFC3339 envelope",
    source: "Dovecot 2.3.19.1 on loopback (real-lines dovecot.jsonl)",
    line: "2026-11-22T03:08:55.692740+00:00 vm dovecot: lmtp(12767): Connect from 127.0.0.1",
    want: {
      kind: "dovecot.lmtp-connection",
      service: "lmtp",
      processId: 12767,
      state: "connect",
      peer: "127.0.0.1",
    },
  },
];

const logout: Case[] = [
  {
    name: "2.3 IMAP logout",
    source: LAB,
    line: "Nov 22 03:27:46 mail dovecot: imap(dave)<29758><F46eD9Vg6I9/AAAB>: Disconnected: Logged out in=1146 out=5056 deleted=0 expunged=0 trashed=0 hdr_count=1 hdr_bytes=72 body_count=0 body_bytes=0",
    want: {
      kind: "dovecot.logout",
      service: "imap",
      user: "dave",
      processId: 29758,
      session: "F46eD9Vg6I9/AAAB",
      reason: "Disconnected: Logged out",
      counters: {
        in: "1146",
        out: "5056",
        deleted: "0",
        expunged: "0",
        trashed: "0",
        hdr_count: "1",
        hdr_bytes: "72",
        body_count: "0",
        body_bytes: "0",
      },
    },
  },
  {
    name: "connection closed with a parenthesised state",
    source: LIGHTMETER,
    line: "Jan 10 16:15:30 mail dovecot: imap(sender@example.com)<11828><ZoUEF464n0dZ9/zl>: Connection closed (noop finished 0.051 secs ago) in=670 out=3687 deleted=0 expunged=0 trashed=0 hdr_count=0 hdr_bytes=0 body_count=0 body_bytes=0",
    want: {
      kind: "dovecot.logout",
      service: "imap",
      user: "sender@example.com",
      processId: 11828,
      session: "ZoUEF464n0dZ9/zl",
      reason: "Connection closed (noop finished 0.051 secs ago)",
      counters: {
        in: "670",
        out: "3687",
        deleted: "0",
        expunged: "0",
        trashed: "0",
        hdr_count: "0",
        hdr_bytes: "0",
        body_count: "0",
        body_bytes: "0",
      },
    },
  },
  {
    name: "POP3 counters are comma separated",
    source: LIGHTMETER,
    line: "Dec  7 13:29:38 mail dovecot: pop3(discourse@some.example.com)<19259><US9g0d+1NL9ONwWt>: Disconnected: Logged out top=0/0, retr=0/0, del=0/0, size=0",
    want: {
      kind: "dovecot.logout",
      service: "pop3",
      user: "discourse@some.example.com",
      processId: 19259,
      session: "US9g0d+1NL9ONwWt",
      reason: "Disconnected: Logged out",
      counters: { top: "0/0", retr: "0/0", del: "0/0", size: "0" },
    },
  },
  {
    name: "2.2 prefix without pid and session",
    source: "Ubuntu Forums 2016 'mails sent from mail client not received' (real-lines dovecot.jsonl)",
    line: "Mar 15 11:36:42 Ubuntu-1404-trusty-64-minimal dovecot: imap(lukas.mueller@marketstrategy.de): Disconnected: Logged out in=32 out=449",
    want: {
      kind: "dovecot.logout",
      service: "imap",
      user: "lukas.mueller@marketstrategy.de",
      reason: "Disconnected: Logged out",
      counters: { in: "32", out: "449" },
    },
  },
];

describe("LMTP connections", () => runCases(lmtp, test));
describe("IMAP/POP3 logouts", () => runCases(logout, test));
