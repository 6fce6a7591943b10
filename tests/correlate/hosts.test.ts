// Messages crossing our own servers, read in one run: MX → MX relay, a separate DSPAM filter host,
// Dovecot on a separate IMAP host, retraining on the IMAP host answered by DSPAM on the filter host.
// Line shapes are the lab's (prisma/demo/lab-double-expansion), with each server's own host name.
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JourneyRecord } from "../../lib/core/journey.ts";
import { correlate, eventsFrom, summarise } from "../helpers/correlate.ts";

const MSGID = "20261122032656.b32f2b3f2c.b01@partner.example.org";

/** mx1 receives from the Internet and relays to `next` (its name in the relay= field, its reply's queue id). */
const mx1 = (next: string, queuedAs: string, at = "03:26:55") => [
  `Nov 22 03:26:54 mx1 postfix/smtpd[29100]: connect from mail.partner.example.org[203.0.113.9]`,
  `Nov 22 03:26:54 mx1 postfix/smtpd[29100]: 1D451166633: client=mail.partner.example.org[203.0.113.9]`,
  `Nov 22 03:26:54 mx1 postfix/cleanup[29101]: 1D451166633: message-id=<${MSGID}>`,
  `Nov 22 03:26:54 mx1 postfix/qmgr[29000]: 1D451166633: from=<martin.keller@partner.example.org>, size=1890, nrcpt=1 (queue active)`,
  `Nov 22 ${at} mx1 postfix/smtp[29102]: 1D451166633: to=<alice@example.com>, relay=${next}:25, delay=1.1, delays=0.1/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${queuedAs})`,
  `Nov 22 ${at} mx1 postfix/qmgr[29000]: 1D451166633: removed`,
];

/** A Postfix server `host` receiving queue `id` from mx1 and delivering it into alice's mailbox on the IMAP host. */
const received = (host: string, id: string, at = "03:26:55", msgid = MSGID) => [
  `Nov 22 ${at} ${host} postfix/smtpd[31200]: connect from mx1.example.com[198.51.100.1]`,
  `Nov 22 ${at} ${host} postfix/smtpd[31200]: ${id}: client=mx1.example.com[198.51.100.1]`,
  `Nov 22 ${at} ${host} postfix/cleanup[31201]: ${id}: message-id=<${msgid}>`,
  `Nov 22 ${at} ${host} postfix/qmgr[31000]: ${id}: from=<martin.keller@partner.example.org>, size=2100, nrcpt=1 (queue active)`,
];

const intoImapHost = (host: string, id: string) => [
  `Nov 22 03:26:57 ${host} postfix/lmtp[31203]: ${id}: to=<alice@example.com>, relay=imap.example.com[198.51.100.3]:24, delay=0.15, delays=0.13/0.01/0.01/0.01, dsn=2.0.0, status=sent (250 2.0.0 <alice@example.com> 855HHABhAmtYcgAAg+zDdQ Saved)`,
  `Nov 22 03:26:57 imap dovecot: lmtp(alice@example.com)<29272><855HHABhAmtYcgAAg+zDdQ>: sieve: msgid=<${MSGID}>: stored mail into mailbox 'Junk'`,
  `Nov 22 03:26:57 ${host} postfix/qmgr[31000]: ${id}: removed`,
];

/** The filter host: queue 5AD05166622 from mx1 goes to DSPAM, which reinjects 6C68016663B from localhost. */
const filterHost = [
  ...received("filter", "5AD05166622"),
  `Nov 22 03:26:56 filter postfix/lmtp[31202]: 5AD05166622: to=<alice@example.com>, relay=filter.example.com[/var/run/dspam/dspam.sock], delay=0.25, delays=0.01/0.01/0/0.24, dsn=2.6.0, status=sent (250 2.6.0 <alice@example.com> Message accepted for delivery)`,
  `Nov 22 03:26:56 filter postfix/smtpd[31210]: connect from localhost[127.0.0.1]`,
  `Nov 22 03:26:56 filter postfix/smtpd[31210]: 6C68016663B: client=localhost[127.0.0.1]`,
  `Nov 22 03:26:56 filter postfix/cleanup[31201]: 6C68016663B: message-id=<${MSGID}>`,
  `Nov 22 03:26:56 filter postfix/qmgr[31000]: 6C68016663B: from=<martin.keller@partner.example.org>, size=2400, nrcpt=1 (queue active)`,
  `Nov 22 03:26:56 filter postfix/qmgr[31000]: 5AD05166622: removed`,
  `1795318016\tS\tMartin Keller <martin.keller@partner.example.org>\t6b026100291101642720778\tMinutes\t0.001495\talice@example.com\tTagged\t<${MSGID}>`,
  ...intoImapHost("filter", "6C68016663B"),
];

const retrainOnImapHost = [
  `Nov 22 03:27:36 imap dovecot: imap(alice@example.com)<29711><zfgBD9VgbpR/AAAB>: copy from Junk: box=INBOX, uid=3, msgid=<${MSGID}>, size=1989, from=martin.keller@partner.example.org, subject=Minutes`,
  `Nov 22 03:27:36 imap imap: antispam: /usr/bin/dspam --source=error --class=innocent --signature=6b026100291101642720778 --deliver= --client --user alice@example.com `,
  `1795318056\tF\t<None Specified>\t6b026100291101642720778\t<None Specified>\t0.002183\talice@example.com\tRetrained\t`,
];

const hops = (j: JourneyRecord | undefined) =>
  j?.queues.map((q) => `${q.host}:${q.queueId}${q.parent ? ` <-${q.parent.rule}- ${q.parent.queueId}` : ""}`);

describe("a message that crosses our servers is one journey (one run)", () => {
  test("MX → MX: mx1's relay answered `queued as` and mx2's queue from mx1", () => {
    const lines = [
      ...mx1("mx2.example.com[198.51.100.2]", "3F2A1B0C1D"),
      ...received("mx2", "3F2A1B0C1D"),
      ...intoImapHost("mx2", "3F2A1B0C1D"),
    ];
    const { journeys } = correlate(eventsFrom(lines, 2026));
    assert.equal(journeys.length, 1);
    const [journey] = journeys;
    assert.deepEqual(hops(journey), ["mx1:1D451166633", "mx2:3F2A1B0C1D <-relay- 1D451166633"]);
    assert.deepEqual(summarise(journey as JourneyRecord).deliveries, [
      "1D451166633 alice@example.com relay sent",
      "3F2A1B0C1D alice@example.com mailbox sent Junk",
    ]);
    assert.equal(journey?.deliveries.find((d) => d.queueId === "1D451166633")?.destination, "relay");
    assert.deepEqual(journey?.hosts, ["imap", "mx1", "mx2"]);
    assert.equal(journey?.host, "mx1");
    assert.equal(journey?.origin, "inbound");
    assert.equal(journey?.clientIp, "203.0.113.9");
  });

  const orders: [string, string[]][] = [
    // mx2's clock is 3 s behind: its lines of the message come after mx1's reply.
    [
      "mx2's lines read after mx1's reply (clocks apart)",
      [
        ...mx1("mx2.example.com[198.51.100.2]", "3F2A1B0C1D", "03:26:55"),
        ...received("mx2", "3F2A1B0C1D", "03:26:56"),
      ],
    ],
    [
      "the relay named by address only, short syslog names",
      [...mx1("198.51.100.2[198.51.100.2]", "3F2A1B0C1D"), ...received("mx2", "3F2A1B0C1D")],
    ],
  ];
  for (const [name, lines] of orders) {
    test(`MX → MX: ${name}`, () => {
      const { journeys } = correlate(eventsFrom(lines, 2026));
      assert.equal(journeys.length, 1);
      assert.deepEqual(hops(journeys[0]), ["mx1:1D451166633", "mx2:3F2A1B0C1D <-relay- 1D451166633"]);
    });
  }

  test("a DSPAM filter host between the MX and the IMAP host: one journey through three servers", () => {
    const lines = [...mx1("filter.example.com[198.51.100.20]", "5AD05166622"), ...filterHost];
    const { journeys } = correlate(eventsFrom(lines, 2026));
    assert.equal(journeys.length, 1);
    const [journey] = journeys;
    assert.deepEqual(hops(journey), [
      "mx1:1D451166633",
      "filter:5AD05166622 <-relay- 1D451166633",
      "filter:6C68016663B <-dspam-lmtp- 5AD05166622",
    ]);
    assert.deepEqual(journey?.hosts, ["filter", "imap", "mx1"]);
    assert.deepEqual(summarise(journey as JourneyRecord).deliveries, [
      "1D451166633 alice@example.com relay sent",
      "6C68016663B alice@example.com mailbox sent Junk",
    ]);
    // The classification is carried by the copy DSPAM reinjected, not by the relayed one.
    assert.deepEqual(
      journey?.verdicts.map((v) => [v.dspamUser, v.className, v.queueId]),
      [["alice@example.com", "spam", "6C68016663B"]],
    );
    assert.equal(journey?.deliveries.at(-1)?.verdict?.className, "spam");
  });

  test("retraining on the IMAP host, answered by DSPAM on the filter host", () => {
    const lines = [
      ...mx1("filter.example.com[198.51.100.20]", "5AD05166622"),
      ...filterHost,
      ...retrainOnImapHost,
    ];
    const { trainings } = correlate(eventsFrom(lines, 2026));
    assert.deepEqual(
      trainings.map((t) => [t.host, t.login, t.direction, t.outcome, t.signature]),
      [["imap", "alice@example.com", "innocent", "applied", "6b026100291101642720778"]],
    );
  });

  const apart: [string, string[]][] = [
    [
      "the same queue id on another server with another Message-ID",
      [
        ...mx1("mx2.example.com[198.51.100.2]", "3F2A1B0C1D"),
        ...received("mx2", "3F2A1B0C1D", "03:26:55", "other@example.net"),
      ],
    ],
    [
      "the same queue id on another server an hour later",
      [...mx1("mx2.example.com[198.51.100.2]", "3F2A1B0C1D"), ...received("mx2", "3F2A1B0C1D", "04:26:55")],
    ],
    [
      "a queue of the same server with the reply's id (a remote server's id reused locally)",
      [
        ...mx1("mx.remote.example[192.0.2.40]", "3F2A1B0C1D"),
        ...received("mx1", "3F2A1B0C1D", "03:26:55").map((l) => l.replace("31200", "29400")),
      ],
    ],
  ];
  for (const [name, lines] of apart) {
    test(`not joined: ${name}`, () => {
      const { journeys } = correlate(eventsFrom(lines, 2026));
      assert.equal(journeys.length, 2);
      const sent = journeys.find((j) => j.queues[0]?.queueId === "1D451166633");
      assert.equal(sent?.deliveries[0]?.destination, "external");
    });
  }
});
