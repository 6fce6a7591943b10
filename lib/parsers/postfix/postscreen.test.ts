// Table tests of real lines: postscreen(8): verdicts on [addr]:port clients and NOQUEUE rejects (comma-separated tail).
import { describe } from "node:test";
import { type Case, runTable } from "./test-table.ts";

const cases: Case[] = [
  {
    name: "CONNECT",
    source:
      "real-lines postfix-0736: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/22_virtual_delivery.log",
    line: "Jul  8 17:05:18 mail postfix/postscreen[21130]: CONNECT from [1.2.3.4]:55382 to [4.5.6.7]:25",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "CONNECT",
      clientIp: "1.2.3.4",
      clientPort: 55382,
      detail: "to [4.5.6.7]:25",
    },
  },
  {
    name: "PASS NEW, IPv6",
    source:
      "real-lines postfix-message-only-0052: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0006.yaml",
    line: "PASS NEW [2607:f8b0:4003:c01::23a]:36051",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "PASS NEW",
      clientIp: "2607:f8b0:4003:c01::23a",
      clientPort: 36051,
    },
  },
  {
    name: "PASS OLD, IPv6",
    source:
      "real-lines postfix-message-only-0051: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0005.yaml",
    line: "PASS OLD [2604:8d00:0:1::3]:52237",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "PASS OLD",
      clientIp: "2604:8d00:0:1::3",
      clientPort: 52237,
    },
  },
  {
    name: "DISCONNECT",
    source:
      "real-lines postfix-message-only-0049: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0003.yaml",
    line: "DISCONNECT [216.81.72.72]:43421",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "DISCONNECT",
      clientIp: "216.81.72.72",
      clientPort: 43421,
    },
  },
  {
    name: "PREGREET with the greeting text",
    source: "real-lines postfix-1117: fail2ban/fail2ban@HEAD:fail2ban/tests/files/logs/postfix",
    line: "Dec 23 19:39:13 xxx postfix/postscreen[21057]: PREGREET 14 after 0.08 from [192.0.2.2]:59415: EHLO ylmf-pc\\r\\n",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "PREGREET",
      clientIp: "192.0.2.2",
      clientPort: 59415,
      detail: "14 after 0.08: EHLO ylmf-pc\\r\\n",
    },
  },
  {
    name: "HANGUP before the SMTP handshake",
    source:
      "real-lines postfix-message-only-0059: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0013.yaml",
    line: "HANGUP after 0 from [66.55.85.58]:54017 in tests before SMTP handshake",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "HANGUP",
      clientIp: "66.55.85.58",
      clientPort: 54017,
      detail: "after 0 in tests before SMTP handshake",
    },
  },
  {
    name: "DNSBL rank",
    source:
      "real-lines postfix-0738: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/22_virtual_delivery.log",
    line: "Jul  8 17:05:24 mail postfix/postscreen[21130]: DNSBL rank 2 for [1.2.3.4]:55382",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "DNSBL",
      clientIp: "1.2.3.4",
      clientPort: 55382,
      detail: "rank 2",
    },
  },
  {
    name: "DENYLISTED (Postfix 3.6 wording)",
    source: "real-lines postfix-1193: sergeymakinen/postfix_exporter@HEAD:exporter/testdata/mail.log",
    line: "Jan 1 00:00:00 hostname postfix/postscreen[12345]: DENYLISTED [123.45.67.89]:12345",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "DENYLISTED",
      clientIp: "123.45.67.89",
      clientPort: 12345,
    },
  },
  {
    name: "BLACKLISTED (pre-3.6 wording)",
    source:
      "real-lines postfix-message-only-0054: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0008.yaml",
    line: "BLACKLISTED [61.238.241.86]:53024",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "BLACKLISTED",
      clientIp: "61.238.241.86",
      clientPort: 53024,
    },
  },
  {
    name: "WHITELISTED",
    source: "real-lines postfix-message-only-0222: msimerson/postfix-parser@85e8c70:test/index.js",
    line: "WHITELISTED [10.2.2.91]:56553",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "WHITELISTED",
      clientIp: "10.2.2.91",
      clientPort: 56553,
    },
  },
  {
    name: "ALLOWLIST VETO",
    source:
      "real-lines postfix-message-only-0076: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0030.yaml",
    line: "ALLOWLIST VETO [61.238.241.86]:53024",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "ALLOWLIST VETO",
      clientIp: "61.238.241.86",
      clientPort: 53024,
    },
  },
  {
    name: "COMMAND TIME LIMIT",
    source: "real-lines postfix-1119: fail2ban/fail2ban@HEAD:fail2ban/tests/files/logs/postfix",
    line: "Jun  8 23:14:28 proxy2 postfix/postscreen[473]: COMMAND TIME LIMIT from [192.0.2.77]:3608 after CONNECT",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "COMMAND TIME LIMIT",
      clientIp: "192.0.2.77",
      clientPort: 3608,
      detail: "after CONNECT",
    },
  },
  {
    name: "NON-SMTP COMMAND with the command",
    source:
      "real-lines postfix-message-only-0068: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0022.yaml",
    line: "NON-SMTP COMMAND from [93.174.93.51]:45284 after CONNECT: GET http://ipv4scan.com/hello/check.txt HTTP/1.1",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "NON-SMTP COMMAND",
      clientIp: "93.174.93.51",
      clientPort: 45284,
      detail: "after CONNECT: GET http://ipv4scan.com/hello/check.txt HTTP/1.1",
    },
  },
  {
    name: "COMMAND PIPELINING after a dot",
    source:
      "real-lines postfix-message-only-0071: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0025.yaml",
    line: "COMMAND PIPELINING from [88.208.233.4]:42606 after .: \n",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "COMMAND PIPELINING",
      clientIp: "88.208.233.4",
      clientPort: 42606,
      detail: "after .:",
    },
  },
  {
    name: "BARE NEWLINE",
    source:
      "real-lines postfix-message-only-0072: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0026.yaml",
    line: "BARE NEWLINE from [88.208.233.4]:42606 after .",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "BARE NEWLINE",
      clientIp: "88.208.233.4",
      clientPort: 42606,
      detail: "after .",
    },
  },
  {
    name: "DATA without valid RCPT",
    source: "real-lines postfix-1184: sergeymakinen/postfix_exporter@HEAD:exporter/testdata/mail.log",
    line: "Jan 1 00:00:00 hostname postfix/postscreen[12345]: DATA without valid RCPT from [123.45.67.89]:12345",
    want: {
      kind: "postfix.postscreen",
      service: "postfix",
      daemon: "postscreen",
      action: "DATA without valid RCPT",
      clientIp: "123.45.67.89",
      clientPort: 12345,
    },
  },
  {
    name: "NOQUEUE reject at RCPT: comma-separated tail, no client name",
    source: "real-lines postfix-1089: fail2ban/fail2ban@HEAD:fail2ban/tests/files/logs/postfix",
    line: "May  5 15:51:11 xxx postfix/postscreen[1148]: NOQUEUE: reject: RCPT from [216.245.194.173]:60591: 550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com; from=<spammer@example.com>, to=<goodguy@example.com>, proto=ESMTP, helo=<badguy.example.com>",
    want: {
      kind: "postfix.action",
      service: "postfix",
      daemon: "postscreen",
      queueId: null,
      action: "reject",
      stage: "RCPT",
      clientIp: "216.245.194.173",
      clientPort: 60591,
      code: "550",
      dsn: "5.7.1",
      reply: "550 5.7.1 Service unavailable; client [216.245.194.173] blocked using rbl.example.com",
      from: "spammer@example.com",
      to: "goodguy@example.com",
      proto: "ESMTP",
      helo: "badguy.example.com",
    },
  },
  {
    name: "NOQUEUE reject at CONNECT: too many connections",
    source:
      "real-lines postfix-message-only-0069: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0023.yaml",
    line: "NOQUEUE: reject: CONNECT from [1.2.3.4]:1337: too many connections",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.action",
      service: "postfix",
      daemon: "postscreen",
      queueId: null,
      action: "reject",
      stage: "CONNECT",
      clientIp: "1.2.3.4",
      clientPort: 1337,
      reply: "too many connections",
    },
  },
  {
    name: "cache cleanup statistics are a notice",
    source:
      "real-lines postfix-message-only-0047: whyscream/postfix-grok-patterns@e9f1a59:test/postscreen_0001.yaml",
    line: "cache btree:/var/lib/postfix-in/postscreen_cache full cleanup: retained=242 dropped=7 entries",
    program: "postfix/postscreen",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "postscreen",
      category: "statistics",
      text: "cache btree:/var/lib/postfix-in/postscreen_cache full cleanup: retained=242 dropped=7 entries",
    },
  },
];

describe("postscreen", () => runTable(cases));
