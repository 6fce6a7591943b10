import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import type { VerdictRecord } from "../../lib/core/journey.ts";
import { Correlator } from "../../lib/correlate/correlator.ts";
import { dspamClassLetter } from "../../lib/parsers/dspam-record.ts";
import { collect, correlate, eventsFrom, summarise } from "../helpers/correlate.ts";
import { LAB_LOGS, REAL_LINES, realLines } from "../helpers/fixtures.ts";

type Flow = { flow: string; source: string; lines: string[] };
const flows = new Map(
  readFileSync(path.join(REAL_LINES, "flows.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Flow)
    .map((flow) => [flow.flow, flow]),
);
const flowLines = (name: string) => (flows.get(name) as Flow).lines;
/** Real lines of one lightmeter test file, as the corpus keeps them. */
const lightmeter = (file: string) =>
  [...realLines("postfix"), ...realLines("dovecot"), ...realLines("other")]
    .filter((r) => r.source.endsWith(`individual_files/${file}`))
    .map((r) => r.line);
const mailLog = readFileSync(path.join(LAB_LOGS, "var/log/mail.log"), "utf8").split("\n").filter(Boolean);
const systemLog = readFileSync(path.join(LAB_LOGS, "var/spool/dspam/system.log"), "utf8")
  .split("\n")
  .filter(Boolean);
const syslog = readFileSync(path.join(LAB_LOGS, "var/log/syslog"), "utf8").split("\n").filter(Boolean);

describe("link rules (real flows)", () => {
  test("queued as, twice: amavis then a DKIM milter (flows.jsonl zimbra-amavis-double-content-filter)", () => {
    const { journeys } = correlate(eventsFrom(flowLines("zimbra-amavis-double-content-filter"), 2020));
    assert.equal(journeys.length, 1);
    assert.deepEqual(summarise(journeys[0] as never), {
      messageId: "00000messageid00000@msgid.example.com",
      origin: "authenticated",
      queues: [
        "E8759DC24C3",
        "218BEDC28EC <-queued-as/exact- E8759DC24C3",
        "33DE0DC24C3 <-queued-as/exact- 218BEDC28EC",
      ],
      deliveries: ["33DE0DC24C3 recipient@recipient.example.com external sent"],
    });
    assert.equal(journeys[0]?.service, "postfix/submission");
  });

  test("queued as from a filter on the public address, with queue id reuse (lightmeter 14_reuse_of_queueid.log)", () => {
    const { journeys } = correlate(eventsFrom(lightmeter("14_reuse_of_queueid.log"), 2019));
    const first = journeys.find(
      (j) => j.messageId === "h-b36847e73153e9ac645ba7cb2050cae3@h-5e67b9b4406.com",
    );
    assert.deepEqual(summarise(first as never).queues, [
      "DADADADADA",
      "BABABABABA <-queued-as/exact- DADADADADA",
    ]);
    // BABABABABA is used again a minute later by another message: a new queue, a new journey.
    const reused = journeys.filter((j) => j.queues.some((q) => q.queueId === "BABABABABA"));
    assert.equal(reused.length, 2);
    assert.deepEqual(summarise(reused[1] as never).queues, [
      "BABABABABA",
      "CACACACACACA <-queued-as/exact- BABABABABA",
    ]);
    assert.notEqual(reused[0]?.messageId, reused[1]?.messageId);
  });

  test("XFORWARD orig_queue_id from amavis (lightmeter 8_weird_log_file.log)", () => {
    const { journeys } = correlate(eventsFrom(lightmeter("8_weird_log_file.log"), 2020));
    assert.equal(journeys.length, 1);
    assert.deepEqual(summarise(journeys[0] as never).queues, [
      "4F5C64474F",
      "ED01244770 <-queued-as/exact- 4F5C64474F",
    ]);
  });

  test("XFORWARD alone, without queued as in the filter's reply", () => {
    const lines = lightmeter("8_weird_log_file.log").filter((l) => !l.includes("queued as"));
    const { journeys } = correlate(eventsFrom(lines, 2020));
    assert.deepEqual(summarise(journeys[0] as never).queues, [
      "4F5C64474F",
      "ED01244770 <-xforward/exact- 4F5C64474F",
    ]);
  });

  test("DSPAM in LMTP mode: no queued as; one reinjection per recipient, linked by Message-ID and recipient (lab)", () => {
    const ids = ["55EED166638", "6C68016663B", "A3ED116663B", "E5E5C16663D", "2817F16663C"];
    const msgid = "20261122032656.7f30c47893.b27@monitor.example.net";
    const lines = mailLog.filter((l) => ids.some((id) => l.includes(id)) || l.includes(msgid));
    const records = systemLog.filter((l) => l.includes(msgid));
    const { journeys } = correlate(eventsFrom([...lines, ...records], 2026));
    assert.equal(journeys.length, 1);
    const journey = journeys[0];
    assert.deepEqual(
      journey?.queues.map((q) => [
        q.queueId,
        q.parent?.rule ?? null,
        q.parent?.confidence ?? null,
        q.parent?.recipient ?? null,
      ]),
      [
        ["55EED166638", null, null, null],
        ["6C68016663B", "dspam-lmtp", "heuristic", "alice@example.com"],
        ["A3ED116663B", "dspam-lmtp", "heuristic", "archive@example.com"],
        ["E5E5C16663D", "dspam-lmtp", "heuristic", "bob@example.com"],
        ["2817F16663C", "dspam-lmtp", "heuristic", "bob.oncall@pager.example.net"],
      ],
    );
    // The pager gets two copies: one classified under bob@, one under its own address.
    assert.deepEqual(
      journey?.deliveries
        .filter((d) => d.recipient === "bob.oncall@pager.example.net" && d.destination === "external")
        .map((d) => d.verdict?.filterUser)
        .sort(),
      ["bob.oncall@pager.example.net", "bob@example.com"],
    );
    assert.equal(journey?.verdicts.length, 4);
  });

  test("pipe to dspam, then sendmail → pickup (flows.jsonl dspam-pipe-reinjection-via-sendmail)", () => {
    const { journeys } = correlate(eventsFrom(flowLines("dspam-pipe-reinjection-via-sendmail"), 2007));
    assert.equal(journeys.length, 1);
    assert.deepEqual(summarise(journeys[0] as never), {
      messageId: "20070904233939.4DF5F1806A@testmail.mytestdomain.co.uk",
      origin: "inbound",
      queues: ["4DF5F1806A", "D141E18070 <-pipe-pickup/heuristic- 4DF5F1806A"],
      deliveries: ["D141E18070 webadmin@testmail.mytestdomain.co.uk mailbox sent"],
    });
  });

  test("a bounce is a child journey of the message that bounced (flows.jsonl bounce-dsn-delivered-locally)", () => {
    const { journeys } = correlate(eventsFrom(flowLines("bounce-dsn-delivered-locally"), 2016));
    assert.equal(journeys.length, 2);
    const [original, bounce] = journeys.sort((a, b) => a.firstTs - b.firstTs);
    assert.deepEqual(summarise(original as never).deliveries, [
      "F020E46097C luggie@gmx.net external bounced",
    ]);
    assert.equal(original?.origin, "local");
    assert.deepEqual(bounce?.parent, { key: original?.key, relation: "bounce" });
    assert.deepEqual(summarise(bounce as never).deliveries, [
      "2DE5B46097A lukas.mueller@marketstrategy.de mailbox sent INBOX",
    ]);
  });

  test("a local forward is a child journey (Ubuntu Forums 2011: forwarded as)", () => {
    const text = readFileSync(
      path.join(REAL_LINES, "raw/public-excerpts/ubuntuforums_postfix_or_dovecot_problem_2011.log"),
      "utf8",
    );
    const lines = text.split("\n").filter((l) => /B26DE19C0BF6|C342219C0AAE/.test(l));
    const { journeys } = correlate(eventsFrom(lines, 2011));
    const forward = journeys.find((j) => j.queues[0]?.queueId === "C342219C0AAE");
    const original = journeys.find((j) => j.queues[0]?.queueId === "B26DE19C0BF6");
    assert.deepEqual(forward?.parent, { key: original?.key, relation: "forward" });
    assert.deepEqual(summarise(original as never).deliveries, ["B26DE19C0BF6 fakeuser@localhost other sent"]);
  });
});

describe("queue life cycle", () => {
  test("a deferral, then success 7 minutes later, in one journey (lightmeter 6_deferred_message_retry.log)", () => {
    const { journeys } = correlate(eventsFrom(lightmeter("6_deferred_message_retry.log"), 2020));
    const journey = journeys.find((j) => j.messageId === "000msgid0000@example.com");
    assert.deepEqual(summarise(journey as never).deliveries, [
      "A17F830001CA recipient@recipient.com external deferred",
      "A17F830001CA recipient@recipient.com external sent",
    ]);
    assert.equal(journey?.complete, true);
  });

  test("a multi-recipient fan-out with some bounces, and the DSN for them (lightmeter 2_multiple_recipients_some_bounces.log)", () => {
    const { journeys } = correlate(eventsFrom(lightmeter("2_multiple_recipients_some_bounces.log"), 2020));
    const original = journeys.find((j) => j.queues.some((q) => q.queueId === "1310930001DB"));
    assert.deepEqual(summarise(original as never).queues, [
      "BA8F630001DA",
      "1310930001DB <-queued-as/exact- BA8F630001DA",
    ]);
    assert.deepEqual(
      original?.deliveries.filter((d) => d.destination !== "filter").map((d) => `${d.recipient} ${d.status}`),
      [
        "recipient42@example.com bounced",
        "recipient1@dst4.example.com bounced",
        "recipient1@dst3.example.com bounced",
        "recipient1@dst2.example.com sent",
      ],
    );
    const dsn = journeys.find((j) => j.parent?.key === original?.key);
    assert.equal(dsn?.parent?.relation, "bounce");
  });

  test("an expired message keeps its deferrals and ends expired (lightmeter 18_expired.log)", () => {
    const { journeys } = correlate(eventsFrom(lightmeter("18_expired.log"), 2019));
    const journey = journeys.find((j) => j.queues.some((q) => q.queueId === "23EBE3D5C0"));
    const queue = journey?.queues.find((q) => q.queueId === "23EBE3D5C0");
    assert.equal(queue?.closed, "expired");
    assert.equal(journey?.deliveries.filter((d) => d.status === "deferred").length, 5);
  });
});

describe("into the mailbox", () => {
  test("Dovecot 2.2 LMTP session id links Postfix to the folder even when Message-IDs disagree (flows.jsonl)", () => {
    const { journeys } = correlate(eventsFrom(flowLines("dovecot-lmtp-link-by-session-id"), 2016));
    const delivery = journeys[0]?.deliveries[0];
    assert.deepEqual(delivery?.mailbox, {
      user: "email1@example.com",
      folder: "INBOX",
      match: "lmtp-session",
    });
  });

  test("sieve's folder choice is recorded per copy (lab: spam filed into Junk)", () => {
    const msgid = "20261122032656.64f4eb6820.b05@secure-verify.example.top";
    const ids = ["185BA166630", "2FCC1166631"];
    const lines = mailLog.filter((l) => ids.some((id) => l.includes(id)) || l.includes(msgid));
    const { journeys } = correlate(
      eventsFrom([...lines, ...systemLog.filter((l) => l.includes(msgid))], 2026),
    );
    const delivery = journeys[0]?.deliveries.find((d) => d.destination === "mailbox");
    assert.deepEqual(delivery?.mailbox, { user: "alice@example.com", folder: "Junk", match: "lmtp-session" });
    assert.equal(delivery?.verdict?.result, "spam");
  });

  test("without an LMTP session id, Message-ID + user + time find the folder", () => {
    const msgid = "20261122032656.64f4eb6820.b05@secure-verify.example.top";
    const lines = mailLog
      .filter((l) => l.includes("185BA166630") || l.includes("2FCC1166631") || l.includes(msgid))
      .map((l) => l.replace(/ [A-Za-z0-9+/]{22} Saved\)/, " Saved)").replace(/<\d+><[A-Za-z0-9+/]{22}>/, ""));
    const { journeys } = correlate(eventsFrom(lines, 2026));
    const delivery = journeys[0]?.deliveries.find((d) => d.destination === "mailbox");
    assert.deepEqual(delivery?.mailbox, { user: "alice@example.com", folder: "Junk", match: "message-id" });
  });
});

describe("order tolerance and restarts", () => {
  const all = eventsFrom([...mailLog, ...systemLog], 2026);

  test("the same journeys whether lines come in one run or one at a time with a drain after each", () => {
    const once = correlate(all);
    const stepwise = new Correlator();
    const outputs = [];
    for (const event of [...all].sort((a, b) => a.ts - b.ts || a.lineId - b.lineId)) {
      stepwise.push(event);
      outputs.push(...stepwise.drain({ provisional: true }));
    }
    outputs.push(...stepwise.drain({ provisional: true }));
    const lineByLine = collect(outputs);
    assert.deepEqual(byKey(lineByLine.journeys), byKey(once.journeys));
  });

  test("snapshot in the middle, restore, continue: the same journeys as without the restart", () => {
    const sorted = [...all].sort((a, b) => a.ts - b.ts || a.lineId - b.lineId);
    const half = Math.floor(sorted.length / 2);
    const first = new Correlator();
    for (const event of sorted.slice(0, half)) first.push(event);
    const outputs = first.drain({ provisional: true });
    const snapshot = JSON.parse(JSON.stringify(first.snapshot()));
    const second = new Correlator({}, snapshot);
    for (const event of sorted.slice(half)) second.push(event);
    outputs.push(...second.drain({ provisional: true }));
    assert.deepEqual(byKey(collect(outputs).journeys), byKey(correlate(all).journeys));
  });

  test("a snapshot saved before verdicts named their filter restores to the same journeys", () => {
    const sorted = [...all].sort((a, b) => a.ts - b.ts || a.lineId - b.lineId);
    const half = Math.floor(sorted.length / 2);
    const first = new Correlator();
    for (const event of sorted.slice(0, half)) first.push(event);
    const outputs = first.drain({ provisional: true });
    const snapshot = first.snapshot();
    // What an older Spamtrail saved: DSPAM's user, class letter and class name.
    let legacy = 0;
    const older = (v: VerdictRecord) => {
      legacy += 1;
      const { filter: _f, filterUser, result, action: _a, score: _s, ...rest } = v;
      return { ...rest, dspamUser: filterUser, dspamClass: dspamClassLetter(result), className: result };
    };
    const saved = JSON.parse(
      JSON.stringify({
        ...snapshot,
        verdicts: snapshot.verdicts.map(older),
        journeys: snapshot.journeys.map((j) => ({ ...j, verdicts: j.verdicts.map(older) })),
      }),
    );
    assert.ok(legacy > 0, "the snapshot holds verdicts");
    const second = new Correlator({}, saved);
    for (const event of sorted.slice(half)) second.push(event);
    outputs.push(...second.drain({ provisional: true }));
    assert.deepEqual(byKey(collect(outputs).journeys), byKey(correlate(all).journeys));
  });

  test("the antispam plugin's dspam commands read after DSPAM's answers (follow reading the maillog first): the same trainings", () => {
    const every = eventsFrom([...mailLog, ...systemLog, ...syslog], 2026);
    const commandsFrom = mailLog.length + systemLog.length + 1;
    const inOrder = (events: typeof every) => [...events].sort((a, b) => a.ts - b.ts || a.lineId - b.lineId);
    const late = new Correlator();
    for (const event of inOrder(every.filter((e) => e.lineId < commandsFrom))) late.push(event);
    const outputs = late.drain({ provisional: true });
    for (const event of inOrder(every.filter((e) => e.lineId >= commandsFrom))) late.push(event);
    outputs.push(...late.drain({ provisional: true }));
    const view = (trainings: ReturnType<typeof collect>["trainings"]) =>
      byKey(trainings).map((t) => `${t.key} ${t.login} ${t.direction} ${t.outcome}`);
    const want = view(correlate(every).trainings);
    assert.ok(
      want.some((t) => / spam failed$/.test(t)),
      "the %u pitfall's failed retrainings",
    );
    assert.deepEqual(view(collect(outputs).trainings), want);
  });

  test("DSPAM's records may come before or after the Postfix lines of the same second", () => {
    const reversed = all.map((e) => (e.event.kind === "dspam.record" ? { ...e, ts: e.ts + 999 } : e));
    assert.deepEqual(
      byKey(correlate(reversed).journeys).map(verdictsOf),
      byKey(correlate(all).journeys).map(verdictsOf),
    );
  });
});

const byKey = <T extends { key: string }>(items: T[]) =>
  [...items].sort((a, b) => a.key.localeCompare(b.key));
const verdictsOf = (j: {
  key: string;
  verdicts: { filterUser: string | null; queueId: string | null }[];
}) => ({
  key: j.key,
  verdicts: j.verdicts.map((v) => `${v.filterUser}@${v.queueId}`).sort(),
});
