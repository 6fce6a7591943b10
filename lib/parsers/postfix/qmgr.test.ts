// Table tests of real lines: qmgr(8): queue active, removed, expired.
import { describe } from "node:test";
import { type Case, runTable } from "./test-table.ts";

const cases: Case[] = [
  {
    name: "queue active",
    source: "lab-double-expansion logs/var/log/mail.log (Postfix 3.7.11)",
    line: "Nov 22 03:27:12 mail postfix/qmgr[29207]: B88C5166642: from=<>, size=3347, nrcpt=1 (queue active)",
    want: {
      kind: "postfix.qmgr",
      service: "postfix",
      daemon: "qmgr",
      queueId: "B88C5166642",
      from: "",
      size: 3347,
      nrcpt: 1,
    },
  },
  {
    name: "removed",
    source: "lab-double-expansion logs/var/log/mail.log (Postfix 3.7.11)",
    line: "Nov 22 03:26:56 mail postfix/qmgr[29207]: 5AD05166622: removed",
    want: { kind: "postfix.removed", service: "postfix", daemon: "qmgr", queueId: "5AD05166622" },
  },
  {
    name: "unbracketed sender (msimerson test log)",
    source: "real-lines postfix-1272: msimerson/postfix-parser@85e8c70:test/index.js",
    line: "Sep 25 12:07:56 rory-dev postfix/qmgr[1626]: ED373F8043E: from=rory@rory-dev.localdomain, size=270, nrcpt=1 (queue active)",
    want: {
      kind: "postfix.qmgr",
      service: "postfix",
      daemon: "qmgr",
      queueId: "ED373F8043E",
      from: "rory@rory-dev.localdomain",
      size: 270,
      nrcpt: 1,
    },
  },
  {
    name: "expired on a multi-instance service",
    source:
      "real-lines postfix-0647: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/18_expired.log",
    line: "Sep 30 20:46:08 smtpnode16 postfix-239.58.50.50/qmgr[31214]: 23EBE3D5C0: from=<h-498b874f2bf0cf639807ad80e1@h-5e67b9b4406.com>, status=expired, returned to sender",
    want: {
      kind: "postfix.expired",
      service: "postfix-239.58.50.50",
      daemon: "qmgr",
      queueId: "23EBE3D5C0",
      from: "h-498b874f2bf0cf639807ad80e1@h-5e67b9b4406.com",
      status: "expired",
    },
  },
  {
    name: "force-expired",
    source:
      "real-lines postfix-1043: lightmeterio/ControlCenter@4be01c14:pkg/postfix/logparser/parser_test.go",
    line: "Sep  3 12:39:14 mailhost postfix-12.34.56.78/qmgr[24086]: B54DA300087: from=<redacted@company.com>, status=force-expired, returned to sender",
    want: {
      kind: "postfix.expired",
      service: "postfix-12.34.56.78",
      daemon: "qmgr",
      queueId: "B54DA300087",
      from: "redacted@company.com",
      status: "force-expired",
    },
  },
  {
    name: "expired bounce (null sender)",
    source:
      "real-lines postfix-message-only-0088: whyscream/postfix-grok-patterns@e9f1a59:test/qmgr_0004.yaml",
    line: "585BC3F: from=<>, status=expired, returned to sender",
    program: "postfix/qmgr",
    want: {
      kind: "postfix.expired",
      service: "postfix",
      daemon: "qmgr",
      queueId: "585BC3F",
      from: "",
      status: "expired",
    },
  },
  {
    name: "expired with a doubled > (postfix_exporter test data)",
    source: "real-lines postfix-1224: sergeymakinen/postfix_exporter@HEAD:exporter/testdata/mail.log",
    line: "Jan 1 00:00:00 hostname postfix/qmgr[12345]: 123456789AB: from=<user@example.com>>, status=expired, returned to sender",
    want: {
      kind: "postfix.expired",
      service: "postfix",
      daemon: "qmgr",
      queueId: "123456789AB",
      from: "user@example.com>",
      status: "expired",
    },
  },
  {
    name: "skipped, still being delivered",
    source:
      "real-lines postfix-message-only-0090: whyscream/postfix-grok-patterns@e9f1a59:test/qmgr_0006.yaml",
    line: "ED06590130AA1C9D6D862: skipped, still being delivered",
    program: "postfix/qmgr",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "qmgr",
      category: "info",
      queueId: "ED06590130AA1C9D6D862",
      text: "skipped, still being delivered",
    },
  },
];

describe("qmgr", () => runTable(cases));
