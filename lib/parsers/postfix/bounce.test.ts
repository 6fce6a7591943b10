// Table tests of real lines: bounce(8): the notification and the new queue file that carries it.
import { describe } from "node:test";
import { type Case, runTable } from "./test-table.ts";

const cases: Case[] = [
  {
    name: "sender non-delivery notification",
    source: "lab-double-expansion logs/var/log/mail.log (Postfix 3.7.11)",
    line: "Nov 22 03:27:12 mail postfix/bounce[29393]: A02ED16663C: sender non-delivery notification: B88C5166642",
    want: {
      kind: "postfix.bounce",
      service: "postfix",
      daemon: "bounce",
      queueId: "A02ED16663C",
      notification: "sender non-delivery notification",
      newQueueId: "B88C5166642",
    },
  },
  {
    name: "multi-instance bounce service",
    source:
      "real-lines postfix-0650: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/18_expired.log",
    line: "Sep 30 20:46:08 smtpnode16 postfix-239.58.50.50/bounce[23567]: 23EBE3D5C0: sender non-delivery notification: A7E673C067",
    want: {
      kind: "postfix.bounce",
      service: "postfix-239.58.50.50",
      daemon: "bounce",
      queueId: "23EBE3D5C0",
      notification: "sender non-delivery notification",
      newQueueId: "A7E673C067",
    },
  },
  {
    name: "postmaster non-delivery notification",
    source:
      "real-lines postfix-message-only-0013: whyscream/postfix-grok-patterns@e9f1a59:test/bounce_0004.yaml",
    line: "482E4404AC8: postmaster non-delivery notification: 47335405A44",
    program: "postfix/bounce",
    want: {
      kind: "postfix.bounce",
      service: "postfix",
      daemon: "bounce",
      queueId: "482E4404AC8",
      notification: "postmaster non-delivery notification",
      newQueueId: "47335405A44",
    },
  },
  {
    name: "sender delay notification",
    source:
      "real-lines postfix-message-only-0012: whyscream/postfix-grok-patterns@e9f1a59:test/bounce_0003.yaml",
    line: "264FE1A18: sender delay notification: 0A87A1A08",
    program: "postfix/bounce",
    want: {
      kind: "postfix.bounce",
      service: "postfix",
      daemon: "bounce",
      queueId: "264FE1A18",
      notification: "sender delay notification",
      newQueueId: "0A87A1A08",
    },
  },
  {
    name: "sender delivery status notification",
    source:
      "real-lines postfix-message-only-0011: whyscream/postfix-grok-patterns@e9f1a59:test/bounce_0002.yaml",
    line: "65AFB8B5: sender delivery status notification: 1DF35917",
    program: "postfix/bounce",
    want: {
      kind: "postfix.bounce",
      service: "postfix",
      daemon: "bounce",
      queueId: "65AFB8B5",
      notification: "sender delivery status notification",
      newQueueId: "1DF35917",
    },
  },
  {
    name: "long queue ids",
    source: "real-lines postfix-message-only-0212: msimerson/postfix-parser@85e8c70:test/index.js",
    line: "3mKxY750hmz7scK: sender non-delivery notification: 3mKxYH0vl4z7sWS",
    program: "postfix/bounce",
    want: {
      kind: "postfix.bounce",
      service: "postfix",
      daemon: "bounce",
      queueId: "3mKxY750hmz7scK",
      notification: "sender non-delivery notification",
      newQueueId: "3mKxYH0vl4z7sWS",
    },
  },
];

describe("bounce", () => runTable(cases));
