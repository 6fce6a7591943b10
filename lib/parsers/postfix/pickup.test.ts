// Table tests of real lines: pickup(8): sendmail/postdrop submissions (and DSPAM's sendmail re-injection).
import { describe } from "node:test";
import { type Case, runTable } from "./test-table.ts";

const cases: Case[] = [
  {
    name: "cron mail re-entering through sendmail",
    source: "lab-double-expansion logs/var/log/mail.log (Postfix 3.7.11)",
    line: "Nov 22 03:27:20 mail postfix/pickup[29206]: B1506166651: uid=0 from=<root@mail.example.com>",
    want: {
      kind: "postfix.pickup",
      service: "postfix",
      daemon: "pickup",
      queueId: "B1506166651",
      uid: 0,
      from: "root@mail.example.com",
    },
  },
  {
    name: "DSPAM pipe re-injection through sendmail (uid of the dspam user)",
    source:
      'real-lines postfix-1289: Ubuntu Forums thread "HOWTO: dspam with postfix", post by hollymcr 2007-09-04 [code-search file id 56748309554]',
    line: "Sep  5 00:39:50 testmail postfix/pickup[5788]: D141E18070: uid=107 from=<mark@myothertestdomain.co.uk>",
    want: {
      kind: "postfix.pickup",
      service: "postfix",
      daemon: "pickup",
      queueId: "D141E18070",
      uid: 107,
      from: "mark@myothertestdomain.co.uk",
    },
  },
  {
    name: "sender without a domain",
    source:
      "real-lines postfix-0001: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/10_pickup.log",
    line: "Feb  1 13:17:02 mail postfix/pickup[28541]: 08ACF1541B01: uid=0 from=<root>",
    want: {
      kind: "postfix.pickup",
      service: "postfix",
      daemon: "pickup",
      queueId: "08ACF1541B01",
      uid: 0,
      from: "root",
    },
  },
  {
    name: "long queue id",
    source: "real-lines postfix-message-only-0203: msimerson/postfix-parser@85e8c70:test/index.js",
    line: "3mKxs308vpz7sXd: uid=1206 from=<system>",
    program: "postfix/pickup",
    want: {
      kind: "postfix.pickup",
      service: "postfix",
      daemon: "pickup",
      queueId: "3mKxs308vpz7sXd",
      uid: 1206,
      from: "system",
    },
  },
  {
    name: "requeued by postsuper -r: orig_id",
    source: "format of pickup.c (log-formats.md §1.2, pickup.c:372-377); no public real sample found",
    line: "D141E18070: uid=0 from=<root> orig_id=4DF5F1806A",
    program: "postfix/pickup",
    want: {
      kind: "postfix.pickup",
      service: "postfix",
      daemon: "pickup",
      queueId: "D141E18070",
      uid: 0,
      from: "root",
      origQueueId: "4DF5F1806A",
    },
  },
];

describe("pickup", () => runTable(cases));
