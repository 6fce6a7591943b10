// Messages crossing our own servers, read in one run: MX → MX relay, a separate DSPAM filter host,
// Dovecot on a separate IMAP host, retraining on the IMAP host answered by DSPAM on the filter host
// (lines: tests/helpers/cross-host-lines.ts).
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { JourneyRecord } from "../../lib/core/journey.ts";
import { correlate, eventsFrom, summarise } from "../helpers/correlate.ts";
import { filterHost, intoImapHost, mx1, received, retrainOnImapHost } from "../helpers/cross-host-lines.ts";

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
      journey?.verdicts.map((v) => [v.filterUser, v.result, v.queueId]),
      [["alice@example.com", "spam", "6C68016663B"]],
    );
    assert.equal(journey?.deliveries.at(-1)?.verdict?.result, "spam");
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
