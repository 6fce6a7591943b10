// Table tests of real lines: postsuper(1): administrator actions on queue files.
import { describe } from "node:test";
import { type Case, runTable } from "./test-table.ts";

const cases: Case[] = [
  {
    name: "removed by the administrator (long queue id)",
    source: "real-lines postfix-1276: msimerson/postfix-parser@85e8c70:test/index.js",
    line: "Nov  6 01:01:03 mailq2 postfix/postsuper[1936]: 3nsRhm5bH5z306M: removed",
    want: {
      kind: "postfix.postsuper",
      service: "postfix",
      daemon: "postsuper",
      queueId: "3nsRhm5bH5z306M",
      action: "removed",
    },
  },
  {
    name: "requeued",
    source:
      "real-lines postfix-message-only-0078: whyscream/postfix-grok-patterns@e9f1a59:test/postsuper_0002.yaml",
    line: "D4F2023DB: requeued",
    program: "postfix/postsuper",
    want: {
      kind: "postfix.postsuper",
      service: "postfix",
      daemon: "postsuper",
      queueId: "D4F2023DB",
      action: "requeued",
    },
  },
  {
    name: "placed on hold",
    source:
      "real-lines postfix-message-only-0079: whyscream/postfix-grok-patterns@e9f1a59:test/postsuper_0003.yaml",
    line: "D4F2023DB: placed on hold",
    program: "postfix/postsuper",
    want: {
      kind: "postfix.postsuper",
      service: "postfix",
      daemon: "postsuper",
      queueId: "D4F2023DB",
      action: "placed on hold",
    },
  },
  {
    name: "released from hold",
    source: "real-lines postfix-message-only-0224: msimerson/postfix-parser@85e8c70:test/index.js",
    line: "3nsF2M5j0nz31GS: released from hold",
    program: "postfix/postsuper",
    want: {
      kind: "postfix.postsuper",
      service: "postfix",
      daemon: "postsuper",
      queueId: "3nsF2M5j0nz31GS",
      action: "released from hold",
    },
  },
  {
    name: "summary: Deleted",
    source: "lab-double-expansion logs/var/log/mail.log (Postfix 3.7.11)",
    line: "Nov 22 03:27:56 mail postfix/postsuper[29838]: Deleted: 2 messages",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "postsuper",
      category: "info",
      text: "Deleted: 2 messages",
    },
  },
  {
    name: "summary: Requeued, singular",
    source:
      "real-lines postfix-message-only-0082: whyscream/postfix-grok-patterns@e9f1a59:test/postsuper_0006.yaml",
    line: "Requeued: 1 message",
    program: "postfix/postsuper",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "postsuper",
      category: "info",
      text: "Requeued: 1 message",
    },
  },
];

describe("postsuper", () => runTable(cases));
