import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { parseEnvelope } from "../../syslog/envelope.ts";
import { resultOfRspamdAction, verdictOfRspamdScan } from "../verdict.ts";
import { bayesUserOf } from "./bayes-user.ts";
import { parseRspamdEvent } from "./index.ts";
import { parseRspamdFileLine, parseRspamdSyslogMessage } from "./log-line.ts";
import { joinScans } from "./scans.ts";
import { parseTaskLog, type RspamdScan } from "./task-log.ts";

// prisma/demo/lab-rspamd/logs/var/log/rspamd/rspamd.log
const INBOUND =
  "2026-12-06 10:33:34 #19259(normal) <a385af>; task; rspamd_task_write_log: id: <179655321460.27116.11213549164158060065.p6222@greatdeals.test>, qid: <AA0CA1866FA>, ip: 127.0.0.2, from: <winbig@greatdeals.test>, (default: F (no action): [3.50/15.00] [BAYES_SPAM(3.60){95.74%;},MIME_GOOD(-0.10){text/plain;},FROM_EQ_ENVFROM(0.00){},FROM_NO_DN(0.00){},MID_RHS_MATCH_FROM(0.00){},MIME_TRACE(0.00){0:+;},RCPT_COUNT_ONE(0.00){1;},RCVD_COUNT_ZERO(0.00){0;},TO_DN_NONE(0.00){},TO_MATCH_ENVRCPT_ALL(0.00){}]), len: 900, time: 37.967ms, dns req: 0, digest: <3dc8397a29bb7222d7c0130709f889b0>, rcpts: <alice@example.com>, mime_rcpts: <alice@example.com>";
const AUTHENTICATED =
  "2026-12-06 10:34:11 #19259(normal) <fe8c23>; task; rspamd_task_write_log: id: <179655325152.27116.5302611966943436488.p6009@example.com>, qid: <81438186753>, ip: 127.0.0.1, user: bob, from: <bob@example.com>, (default: T (add header): [4.07/15.00] [BAYES_SPAM(3.17){94.25%;},SUBJECT_ENDS_QUESTION(1.00){},MIME_GOOD(-0.10){text/plain;},FROM_EQ_ENVFROM(0.00){},FROM_NO_DN(0.00){},MID_RHS_MATCH_FROM(0.00){},MIME_TRACE(0.00){0:+;},RCPT_COUNT_ONE(0.00){1;},RCVD_COUNT_ZERO(0.00){0;},TO_DN_NONE(0.00){},TO_DOM_EQ_FROM_DOM(0.00){},TO_MATCH_ENVRCPT_ALL(0.00){}]), len: 1221, time: 4.070ms, dns req: 0, digest: <3291a6ef21843d4ac88fd5cd756c2e8a>, rcpts: <dave@example.com>, mime_rcpts: <dave@example.com>";
const GTUBE =
  '2026-12-06 10:34:00 #19259(normal) <628ff7>; task; rspamd_task_write_log: id: <179655324043.27116.10411749941594457591.p7651@unknown-sender.test>, qid: <6B62A186738>, ip: 127.0.0.5, from: <test@unknown-sender.test>, (default: S (reject): [15.00/15.00] [GTUBE(0.00){}]), len: 383, time: 0.282ms, dns req: 0, digest: <aec82c34e2db40e9dce1a8218bb027db>, rcpts: <dave@example.com>, mime_rcpts: <dave@example.com>, forced: reject "Gtube pattern"; score=15.00 (set by GTUBE)';
const HAM_BAYES =
  "2026-12-06 10:34:10 #19259(normal) <c8ea19>; task; rspamd_task_write_log: id: <179655325039.27116.13115318720284724049.p6234@example.com>, qid: <62666186741>, ip: 127.0.0.1, user: alice@example.com, from: <alice@example.com>, (default: F (no action): [-0.10/15.00] [MIME_GOOD(-0.10){text/plain;},FROM_EQ_ENVFROM(0.00){},FROM_NO_DN(0.00){},MID_RHS_MATCH_FROM(0.00){},MIME_TRACE(0.00){0:+;},RCPT_COUNT_ONE(0.00){1;},RCVD_COUNT_ZERO(0.00){0;},TO_DN_NONE(0.00){},TO_MATCH_ENVRCPT_ALL(0.00){},BAYES_HAM(-0.00){25.92%;},TO_DOM_EQ_FROM_DOM(0.00){}]), len: 886, time: 4.840ms, dns req: 0, digest: <95d9c080c27440c9c102efb09d2d1409>, rcpts: <carol@example.com>, mime_rcpts: <carol@example.com>";
// A variant of a real multi-RCPT line of the lab (p-15) with what the lab has not: a nan required score
// (no reject action configured) and a `settings_id:` field (Settings module). Synthetic; labelled so.
const MULTI_RCPT =
  "2026-12-06 10:33:45 #19259(normal) <88be61>; task; rspamd_task_write_log: id: <m1@greatdeals.test>, qid: <58E23186731>, ip: 127.0.0.2, from: <winbig@greatdeals.test>, (default: F (no action): [-0.10/nan] [MIME_GOOD(-0.10){text/plain;}]), len: 880, time: 3.1ms, dns req: 0, digest: <00>, rcpts: <Root@Example.com,admins@example.com>, mime_rcpts: <root@example.com,admins@example.com>, settings_id: authenticated";

const scanOf = (line: string): RspamdScan => {
  const parsed = parseRspamdFileLine(line);
  assert.ok(parsed);
  const scan = parseTaskLog(parsed.message);
  assert.ok(scan, line);
  return scan;
};

const cases: { name: string; line: string; want: Partial<RspamdScan> }[] = [
  {
    name: "inbound, no action, BAYES_SPAM with its probability",
    line: INBOUND,
    want: {
      messageId: "179655321460.27116.11213549164158060065.p6222@greatdeals.test",
      qid: "AA0CA1866FA",
      ip: "127.0.0.2",
      user: null,
      from: "winbig@greatdeals.test",
      metric: "default",
      spamFlag: "F",
      action: "no action",
      score: 3.5,
      requiredScore: 15,
      bayes: { symbol: "BAYES_SPAM", score: 3.6, probability: 95.74 },
      size: 900,
      rcpts: ["alice@example.com"],
      mimeRcpts: ["alice@example.com"],
      settingsId: null,
      forced: null,
    },
  },
  {
    name: "authenticated (user: bare SASL login), add header",
    line: AUTHENTICATED,
    want: { user: "bob", spamFlag: "T", action: "add header", score: 4.07, rcpts: ["dave@example.com"] },
  },
  {
    name: "GTUBE: forced reject, S flag",
    line: GTUBE,
    want: {
      spamFlag: "S",
      action: "reject",
      score: 15,
      bayes: null,
      forced: 'reject "Gtube pattern"; score=15.00 (set by GTUBE)',
    },
  },
  {
    name: "BAYES_HAM after other symbols",
    line: HAM_BAYES,
    want: { user: "alice@example.com", bayes: { symbol: "BAYES_HAM", score: -0, probability: 25.92 } },
  },
  {
    name: "several RCPTs, nan required score, settings id",
    line: MULTI_RCPT,
    want: {
      requiredScore: null,
      rcpts: ["Root@Example.com", "admins@example.com"],
      mimeRcpts: ["root@example.com", "admins@example.com"],
      settingsId: "authenticated",
    },
  },
];

describe("Rspamd task log line", () => {
  for (const { name, line, want } of cases)
    test(name, () => {
      const scan = scanOf(line);
      for (const [key, value] of Object.entries(want))
        assert.deepEqual(scan[key as keyof RspamdScan], value, `${name}: ${key}`);
    });
  test("symbols keep their scores and options", () => {
    const symbols = scanOf(INBOUND).symbols;
    assert.equal(symbols.length, 10);
    assert.deepEqual(symbols[5], { name: "MIME_TRACE", score: 0, options: ["0:+"] });
  });
  test("a line without a metric result is not a scan", () => {
    assert.equal(parseTaskLog("id: <x>, qid: <y>, len: 3"), null);
  });
});

describe("Rspamd task log line of other servers and formats", () => {
  test("through syslog, logged by the proxy in self-scan mode (NethServer docs, Rspamd 1.7, 2018)", () => {
    const envelope = parseEnvelope(
      "May 15 02:05:03 mail rspamd[27538]: <8ae27d>; proxy; rspamd_task_write_log: id: <5afa242e.hP5p/mry+fTNNjms%no-reply@example.com>, qid: <A785B308622AB>, ip: 10.154.200.17, from: <no-reply@example.com>, (default: F (no action): [-0.64/20.00] [BAYES_HAM(-3.00){100.00%;},AUTH_NA(1.00){},MID_CONTAINS_FROM(1.00){},MX_INVALID(0.50){},MIME_GOOD(-0.10){text/plain;},IP_SCORE(-0.04){ip: (0.22), ipnet: 10.154.192.0/20(0.18), asn: 14061(0.23), country: US(-0.81);},ASN(0.00){asn:14061, ipnet:10.154.192.0/20, country:US;},DMARC_NA(0.00){example.com;},FROM_EQ_ENVFROM(0.00){},FROM_NO_DN(0.00){},NEURAL_HAM(-0.00){-0.656;0;},RCPT_COUNT_ONE(0.00){1;},RCVD_COUNT_TWO(0.00){2;},RCVD_NO_TLS_LAST(0.00){},R_DKIM_NA(0.00){},R_SPF_NA(0.00){},TO_DN_NONE(0.00){},TO_DOM_EQ_FROM_DOM(0.00){},TO_MATCH_ENVRCPT_ALL(0.00){}]), len: 2348, time: 750.636ms real, 5.680ms virtual, dns req: 47, digest: <b1035f4fb07162ba88053d9e38df9c93>, rcpts: <jsmith@example.com>, mime_rcpts: <jsmith@example.com>",
    );
    assert.ok(envelope);
    const line = parseRspamdSyslogMessage(envelope.message, envelope.pid);
    assert.ok(line);
    const event = parseRspamdEvent(line);
    assert.equal(event.kind, "rspamd.scan");
    if (event.kind !== "rspamd.scan") return;
    const { scan } = event;
    assert.equal(scan.qid, "A785B308622AB");
    assert.equal(scan.score, -0.64);
    assert.equal(scan.requiredScore, 20);
    assert.deepEqual(scan.bayes, { symbol: "BAYES_HAM", score: -3, probability: 100 });
    assert.equal(scan.symbols.length, 19);
    // Options with commas and parentheses stay inside their symbol.
    assert.deepEqual(scan.symbols[5], {
      name: "IP_SCORE",
      score: -0.04,
      options: ["ip: (0.22), ipnet: 10.154.192.0/20(0.18), asn: 14061(0.23), country: US(-0.81)"],
    });
    assert.deepEqual(scan.rcpts, ["jsmith@example.com"]);
    assert.equal(scan.size, 2348);
  });
  test("a scan by the controller (rspamc learn, 2023): no qid, no SMTP rcpts, origin controller", () => {
    const line = parseRspamdFileLine(
      "2023-09-08 00:27:11 #3892999(controller) <cf1261>; csession; rspamd_task_write_log: id: <157c12f9-9200-4ad3-9e73-89167b94006b@gmail.com>, ip: 10.3.53.226, from: <anthanh264@gmail.com>, (default: T (add header): [6.10/25.00] [BAYES_SPAM(5.10){100.00%;},URI_COUNT_ODD(1.00){5;},MIME_GOOD(-0.10){multipart/alternative;text/plain;},RCVD_NO_TLS_LAST(0.10){},XM_UA_NO_VERSION(0.01){},ARC_NA(0.00){},FREEMAIL_ENVFROM(0.00){gmail.com;},FREEMAIL_FROM(0.00){gmail.com;},FROM_EQ_ENVFROM(0.00){},FROM_HAS_DN(0.00){},MID_RHS_MATCH_FROM(0.00){},MIME_TRACE(0.00){0:+;1:+;2:~;},PREVIOUSLY_DELIVERED(0.00){ah@dinhha.online;},RCPT_COUNT_ONE(0.00){1;},RCVD_COUNT_THREE(0.00){4;},RCVD_VIA_SMTP_AUTH(0.00){},TO_DN_ALL(0.00){}]), len: 48306, time: 4119.145ms, dns req: 24, digest: <18243eafedab9fa6e721f9d38a5db586>, mime_rcpts: <ah@dinhha.online>, file: stdin",
    );
    assert.ok(line);
    const [joined] = joinScans([{ line, event: parseRspamdEvent(line) }], true);
    assert.ok(joined);
    assert.equal(joined.origin, "controller");
    assert.equal(joined.scan.qid, null);
    assert.deepEqual(joined.scan.rcpts, []);
    assert.deepEqual(joined.scan.mimeRcpts, ["ah@dinhha.online"]);
    assert.deepEqual(joined.bayes, { user: null, how: "inferred" });
    assert.deepEqual(joined.scan.bayes, { symbol: "BAYES_SPAM", score: 5.1, probability: 100 });
  });
  test("a scan by the proxy in self-scan mode (2023): origin mta", () => {
    const line = parseRspamdFileLine(
      "2023-09-07 23:51:44 #3765778(rspamd_proxy) <8d265a>; proxy; rspamd_task_write_log: id: <de0d6a80-18a5-44a3-8f81-04e49dd28609@gmail.com>, qid: <4D1B68FBAF>, ip: 209.85.215.169, from: <anthanh264@gmail.com>, (default: F (no action): [-5.09/25.00] [BAYES_HAM(-3.00){100.00%;},RCVD_DKIM_ARC_DNSWL_HI(-1.00){},RCVD_IN_DNSWL_HI(-1.00){2a09:bac5:d45f:16d2::246:3a:received;209.85.215.169:from;},URI_COUNT_ODD(1.00){133;},DMARC_POLICY_ALLOW(-0.50){gmail.com;none;},R_DKIM_ALLOW(-0.20){gmail.com:s=20221208;},R_SPF_ALLOW(-0.20){+ip4:209.85.128.0/17:c;},MIME_GOOD(-0.10){multipart/alternative;text/plain;},RWL_MAILSPIKE_GOOD(-0.10){209.85.215.169:from;},XM_UA_NO_VERSION(0.01){},ARC_NA(0.00){},ASN(0.00){asn:15169, ipnet:209.85.128.0/17, country:US;},DKIM_TRACE(0.00){gmail.com:+;},FREEMAIL_ENVFROM(0.00){gmail.com;},FREEMAIL_FROM(0.00){gmail.com;},FROM_EQ_ENVFROM(0.00){},FROM_HAS_DN(0.00){},MID_RHS_MATCH_FROM(0.00){},MIME_TRACE(0.00){0:+;1:+;2:~;},PREVIOUSLY_DELIVERED(0.00){ah@dinhha.online;},RCPT_COUNT_ONE(0.00){1;},RCVD_COUNT_TWO(0.00){2;},RCVD_TLS_LAST(0.00){},RCVD_VIA_SMTP_AUTH(0.00){},SUBJECT_HAS_QUESTION(0.00){},TO_DN_ALL(0.00){},TO_MATCH_ENVRCPT_ALL(0.00){}]), len: 112132, time: 831.666ms, dns req: 66, digest: <10a468acf5110ad829254ac670b2a742>, rcpts: <ah@dinhha.online>, mime_rcpts: <ah@dinhha.online>",
    );
    assert.ok(line);
    const [joined] = joinScans([{ line, event: parseRspamdEvent(line) }], true);
    assert.equal(joined?.origin, "mta");
    assert.equal(joined?.scan.qid, "4D1B68FBAF");
    assert.equal(joined?.scan.score, -5.09);
    assert.equal(joined?.scan.symbols.length, 27);
    assert.deepEqual(joined?.bayes, { user: "ah@dinhha.online", how: "inferred" });
  });
  test("a log_format writing symbol names only ($symbols; synthetic)", () => {
    const scan = parseTaskLog(
      "id: <a@b>, qid: <4F2A1B3C9D>, ip: 203.0.113.5, from: <a@b>, (default: T (rewrite subject): [7.10/15.00] [BAYES_SPAM,MIME_GOOD]), len: 10",
    );
    assert.deepEqual(scan?.symbols, [
      { name: "BAYES_SPAM", score: null, options: [] },
      { name: "MIME_GOOD", score: null, options: [] },
    ]);
    assert.deepEqual(scan?.bayes, { symbol: "BAYES_SPAM", score: null, probability: null });
  });
});

describe("Bayes user of a scan", () => {
  const rcpts = ["Root@Example.com", "admins@example.com"];
  const table = [
    {
      name: "stat_redis user wins",
      input: { observed: "alice@example.com", smtpRcpts: rcpts },
      want: { user: "alice@example.com", how: "observed" },
    },
    {
      name: "Deliver-To header before RCPT",
      input: { deliverTo: "Bob@Example.com", smtpRcpts: rcpts },
      want: { user: "bob@example.com", how: "inferred" },
    },
    {
      name: "first SMTP RCPT, lower-cased",
      input: { smtpRcpts: rcpts },
      want: { user: "root@example.com", how: "inferred" },
    },
    { name: "no recipient", input: { smtpRcpts: [] }, want: { user: null, how: "inferred" } },
    {
      name: "users_enabled off: global Bayes",
      input: { smtpRcpts: rcpts, usersEnabled: false },
      want: { user: null, how: "inferred" },
    },
  ] as const;
  for (const { name, input, want } of table)
    test(name, () => assert.deepEqual(bayesUserOf({ usersEnabled: true, ...input }), want));
});

describe("neutral verdict of an Rspamd scan", () => {
  const table: [string, "T" | "F" | "S", string][] = [
    ["no action", "F", "ham"],
    ["add header", "T", "spam"],
    ["rewrite subject", "T", "spam"],
    ["reject", "S", "spam"],
    ["quarantine", "T", "spam"],
    ["discard", "T", "spam"],
    ["greylist", "F", "deferred"],
    ["soft reject", "S", "deferred"],
    ["my_custom_action", "T", "spam"],
    ["phishing", "S", "unknown"],
  ];
  for (const [action, flag, want] of table)
    test(`${action} (${flag}) → ${want}`, () => assert.equal(resultOfRspamdAction(action, flag), want));
  test("verdict of a scan with its observed Bayes user", () => {
    const ts = Date.UTC(2026, 11, 6, 10, 34, 11);
    assert.deepEqual(
      verdictOfRspamdScan(scanOf(AUTHENTICATED), { user: "dave@example.com", how: "observed" }, ts),
      {
        filter: "rspamd",
        user: "dave@example.com",
        userSource: "observed",
        result: "spam",
        action: "add header",
        score: 4.07,
        requiredScore: 15,
        ts,
      },
    );
  });
});
