// Messages relayed between our own servers, each server's half read in another run: the decisions
// of lib/correlate/resolve.ts as a table (run like RESOLVE_CASES, in memory and on SQLite).
import type { JourneyRecord, StoreRecord } from "../../lib/core/journey.ts";
import { delivery, journey, queue, type ResolveCase, T0, verdict } from "./resolve-cases.ts";

const SECOND = 1000;

/** mx1 received the message from the Internet and relayed it to mx2, which answered `queued as X1`. */
const sending = (overrides: Partial<JourneyRecord> = {}): JourneyRecord =>
  journey("mx1/A1/1709287200", {
    host: "mx1",
    hosts: ["mx1"],
    queues: [{ ...queue("A1"), host: "mx1" }],
    deliveries: [
      {
        ...delivery("A1", "alice@example.org", 3),
        ts: T0 + 5 * SECOND,
        relay: "mx2.example.org[198.51.100.2]:25",
        agent: "smtp",
        reply: "250 2.0.0 Ok: queued as X1",
        destination: "external",
        queuedAs: "X1",
      },
    ],
    lines: [
      { lineId: 1, hop: "A1" },
      { lineId: 3, hop: "A1" },
    ],
    ...overrides,
  });

/** mx2's side: queue X1 received from mx1, filtered by DSPAM, delivered into alice's mailbox. */
const receiving = (overrides: Partial<JourneyRecord> = {}): JourneyRecord =>
  journey("mx2/X1/1709287202", {
    host: "mx2",
    hosts: ["mx2", "imap"],
    firstTs: T0 + 2 * SECOND,
    clientName: "mx1.example.org",
    clientIp: "198.51.100.1",
    queues: [
      {
        ...queue("X1"),
        host: "mx2",
        firstTs: T0 + 2 * SECOND,
        clientName: "mx1.example.org",
        clientIp: "198.51.100.1",
      },
      {
        ...queue("X2", { queueId: "X1", recipient: "alice@example.org" }),
        host: "mx2",
        firstTs: T0 + 8 * SECOND,
      },
    ],
    deliveries: [{ ...delivery("X2", "alice@example.org", 9), ts: T0 + 9 * SECOND }],
    verdicts: [verdict(8, { queueId: "X2" })],
    lines: [
      { lineId: 2, hop: "X1" },
      { lineId: 8, hop: "dspam" },
      { lineId: 9, hop: "X2" },
    ],
    ...overrides,
  });

const JOINED =
  "journey mx1/A1/1709287200 replaces verdicts[8@X2] deliveries[A1:-,X2:spam] subject=Cheap watches" +
  " hosts=imap,mx1,mx2 queues[mx1:A1,mx2:X1<-A1,mx2:X2<-X1] relays[A1>X1]";

export const RELAY_CASES: ResolveCase[] = [
  {
    name: "relayed between servers, the receiving half stored first: the sending half joins it under its own key and the other key goes",
    store: [{ type: "journey", journey: receiving(), replaces: false }],
    outputs: [{ type: "journey", journey: sending(), replaces: false }],
    writes: [JOINED.replace(" replaces", ""), "drop mx2/X1/1709287202"],
  },
  {
    name: "relayed between servers, the sending half stored first: the receiving half joins it under the sending half's key",
    store: [{ type: "journey", journey: sending(), replaces: false }],
    outputs: [{ type: "journey", journey: receiving(), replaces: false }],
    writes: [JOINED],
  },
  {
    name: "a later version of the receiving half replaces its own part of the joined journey only",
    store: [{ type: "journey", journey: sending(), replaces: false }],
    outputs: [
      {
        type: "journey",
        journey: receiving({ deliveries: [], verdicts: [], inProgress: true }),
        replaces: false,
      },
      { type: "journey", journey: receiving(), replaces: true },
    ],
    writes: [
      "journey mx1/A1/1709287200 replaces verdicts[] deliveries[A1:-] subject=-" +
        " hosts=imap,mx1,mx2 queues[mx1:A1,mx2:X1<-A1,mx2:X2<-X1] relays[A1>X1]",
      JOINED,
    ],
  },
  {
    name: "a later version of the sending half keeps the receiving server's part",
    store: [{ type: "journey", journey: receiving(), replaces: false }],
    outputs: [
      { type: "journey", journey: sending({ inProgress: true }), replaces: false },
      { type: "journey", journey: sending(), replaces: true },
    ],
    writes: [JOINED.replace(" replaces", ""), "drop mx2/X1/1709287202", JOINED],
  },
  {
    name: "the same queue id on another server with another Message-ID is another message",
    store: [{ type: "journey", journey: receiving(), replaces: false }],
    outputs: [
      {
        type: "journey",
        journey: sending({ queues: [{ ...queue("A1"), host: "mx1", messageId: "<other@example.net>" }] }),
        replaces: false,
      },
    ],
    writes: ["journey mx1/A1/1709287200 verdicts[] deliveries[A1:-] subject=-"],
  },
  {
    name: "a queue id answered an hour before the other server's queue started is not that queue",
    store: [
      {
        type: "journey",
        journey: receiving({
          queues: receiving().queues.map((q) => ({ ...q, firstTs: q.firstTs + 3600_000 })),
        }),
        replaces: false,
      },
    ],
    outputs: [{ type: "journey", journey: sending(), replaces: false }],
    writes: ["journey mx1/A1/1709287200 verdicts[] deliveries[A1:-] subject=-"],
  },
];

/** Delivered by LMTP to Dovecot on the IMAP host: the reply carried Dovecot's session id. */
const toImapHost = (session: string | null = "855HHABhAmtYcgAAg+zDdQ") =>
  journey("mail/Q1/1709287200", {
    deliveries: [
      {
        ...delivery("Q2", "alice@example.org", 5),
        relay: "imap.example.org[198.51.100.3]:24",
        reply: `250 2.0.0 <alice@example.org> ${session ?? ""} Saved`,
        session,
      },
    ],
  });

const store = (overrides: Partial<StoreRecord> = {}): StoreRecord => ({
  ts: T0 + 31 * SECOND,
  host: "imap",
  user: "alice@example.org",
  session: "855HHABhAmtYcgAAg+zDdQ",
  messageId: "<m1@example.net>",
  folder: "Junk",
  lineId: 50,
  ...overrides,
});

const INTO_JUNK =
  "journey mail/Q1/1709287200 replaces verdicts[] deliveries[Q2:->Junk] subject=-" +
  " hosts=imap,mail queues[mail:Q1,mail:Q2<-Q1] relays[]";

export const STORE_CASES: ResolveCase[] = [
  {
    name: "Dovecot's store on the IMAP host read in a later run completes the stored delivery: folder, line, server",
    store: [{ type: "journey", journey: toImapHost(), replaces: false }],
    outputs: [{ type: "orphan-store", store: store() }],
    writes: ["store 50 Junk", INTO_JUNK],
  },
  {
    name: "stores in a row for two copies of one stored journey complete it in one write (a Dovecot log read after the maillog)",
    store: [
      {
        type: "journey",
        journey: {
          ...toImapHost(),
          deliveries: [
            ...toImapHost().deliveries,
            {
              ...delivery("Q2", "bob@example.org", 5),
              relay: "imap.example.org[198.51.100.3]:24",
              reply: "250 2.0.0 <bob@example.org> 855HHABhAmtYcgAAg+zDdQ:2 Saved",
              session: "855HHABhAmtYcgAAg+zDdQ:2",
            },
          ],
        },
        replaces: false,
      },
    ],
    outputs: [
      { type: "orphan-store", store: store() },
      {
        type: "orphan-store",
        store: store({
          user: "bob@example.org",
          session: "855HHABhAmtYcgAAg+zDdQ:2",
          folder: "INBOX",
          lineId: 51,
        }),
      },
    ],
    writes: [
      "store 50 Junk",
      "store 51 INBOX",
      INTO_JUNK.replace("deliveries[Q2:->Junk]", "deliveries[Q2:->Junk,Q2:->INBOX]"),
    ],
  },
  {
    name: "Dovecot's store read first: the delivery written later takes its folder",
    store: [{ type: "store", store: store() }],
    outputs: [{ type: "journey", journey: toImapHost(), replaces: false }],
    writes: [INTO_JUNK.replace(" replaces", "")],
  },
  {
    name: "without a session in the reply, the store of the same Message-ID, mailbox and time",
    store: [{ type: "store", store: store({ session: null }) }],
    outputs: [{ type: "journey", journey: toImapHost(null), replaces: false }],
    writes: [INTO_JUNK.replace(" replaces", "")],
  },
  {
    name: "a store of another session, or of another mailbox, stays apart",
    store: [
      { type: "store", store: store({ session: "otherSessionAAAAAAAAAA" }) },
      { type: "store", store: store({ session: null, user: "bob@example.org", lineId: 51 }) },
    ],
    outputs: [{ type: "journey", journey: toImapHost(), replaces: false }],
    writes: ["journey mail/Q1/1709287200 verdicts[] deliveries[Q2:-] subject=-"],
  },
];
