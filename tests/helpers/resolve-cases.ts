// The decisions of lib/correlate/resolve.ts as a table: what the store holds, what the correlator
// hands out, and the writes that must follow. lib/correlate/resolve.test.ts runs it against an
// in-memory store, tests/correlation-lookup.test.ts against SQLite (the store's own lookup).
import type {
  CorrelatorOutput,
  DeliveryRecord,
  JourneyRecord,
  QueueRecord,
  StoreRecord,
  TrainingRecord,
  VerdictRecord,
} from "../../lib/core/journey.ts";
import type { CorrelationLookup, ResolvedTraining, StoreWrite } from "../../lib/correlate/resolve.ts";

const MINUTE = 60_000;
export const T0 = Date.UTC(2024, 2, 1, 10, 0, 0);

export function queue(queueId: string, parent?: { queueId: string; recipient: string }): QueueRecord {
  return {
    host: "mail",
    queueId,
    firstTs: T0,
    lastTs: T0 + MINUTE,
    via: "smtpd",
    service: "postfix",
    clientName: parent ? "localhost" : "mx.example.net",
    clientIp: parent ? "127.0.0.1" : "192.0.2.7",
    saslMethod: null,
    saslUsername: null,
    pickupUid: null,
    sender: "news@example.net",
    size: 2048,
    nrcpt: 1,
    messageId: "<m1@example.net>",
    receivedFor: parent?.recipient ?? null,
    closed: "removed",
    parent: parent ? { ...parent, rule: "dspam-lmtp", confidence: "heuristic" } : null,
    actions: [],
  };
}

export function delivery(queueId: string, recipient: string, lineId: number): DeliveryRecord {
  return {
    queueId,
    ts: T0 + 30_000,
    recipient,
    origRecipient: null,
    relay: "mail.example.org[private/dovecot-lmtp]",
    agent: "lmtp",
    status: "sent",
    dsn: "2.0.0",
    reply: "250 2.0.0 Saved",
    destination: "mailbox",
    filter: null,
    session: null,
    queuedAs: null,
    forwardedAs: null,
    mailbox: null,
    verdict: null,
    lineId,
  };
}

/** A message filtered by DSPAM for alice: Q1 → DSPAM → Q2 → alice's mailbox. */
export function journey(key: string, overrides: Partial<JourneyRecord> = {}): JourneyRecord {
  return {
    key,
    host: "mail",
    hosts: ["mail"],
    messageId: "<m1@example.net>",
    firstTs: T0,
    lastTs: T0 + MINUTE,
    complete: true,
    inProgress: false,
    origin: "inbound",
    service: "postfix",
    clientName: "mx.example.net",
    clientIp: "192.0.2.7",
    saslUsername: null,
    sender: "news@example.net",
    size: 2048,
    subject: null,
    queues: [queue("Q1"), queue("Q2", { queueId: "Q1", recipient: "alice@example.org" })],
    deliveries: [delivery("Q2", "alice@example.org", 5)],
    verdicts: [],
    parent: null,
    lines: [
      { lineId: 1, hop: "Q1" },
      { lineId: 5, hop: "Q2" },
    ],
    ...overrides,
  };
}

export function verdict(lineId: number, overrides: Partial<VerdictRecord> = {}): VerdictRecord {
  return {
    ts: T0 + 10_000,
    filter: "dspam",
    filterUser: "alice@example.org",
    result: "spam",
    action: null,
    score: null,
    signature: `sig${lineId}`,
    status: "delivered",
    from: "news@example.net",
    subject: "Cheap watches",
    messageId: "<m1@example.net>",
    queueId: null,
    lineId,
    ...overrides,
  };
}

export function training(key: string, overrides: Partial<TrainingRecord> = {}): TrainingRecord {
  return {
    key,
    ts: T0 + 60 * MINUTE,
    host: "mail",
    login: "alice@example.org",
    filter: "dspam",
    filterUser: "alice@example.org",
    classifiedUser: null,
    signature: "sig20",
    messageId: null,
    direction: "innocent",
    outcome: "applied",
    reason: null,
    fromMailbox: "Spam",
    toMailbox: "INBOX",
    lines: [90],
    ...overrides,
  };
}

export const stored = (t: TrainingRecord, journeyKey: string | null = null): ResolvedTraining => ({
  ...t,
  journeyKey,
});

/** One write, as a line a reader can check: what was written and what it was decided to carry. */
export function describeWrite(w: StoreWrite): string {
  switch (w.type) {
    case "journey": {
      const verdicts = w.journey.verdicts.map((v) => `${v.lineId}@${v.queueId ?? "-"}`).join(",");
      const carried = w.journey.deliveries
        .map((d) => `${d.queueId}:${d.verdict?.result ?? "-"}${d.mailbox ? `>${d.mailbox.folder}` : ""}`)
        .join(",");
      // A journey across servers also shows its servers and how its queues were linked.
      const across =
        w.journey.hosts.length > 1
          ? ` hosts=${w.journey.hosts.join(",")} queues[${w.journey.queues
              .map((q) => `${q.host}:${q.queueId}${q.parent ? `<-${q.parent.queueId}` : ""}`)
              .join(",")}] relays[${w.journey.deliveries
              .filter((d) => d.destination === "relay")
              .map((d) => `${d.queueId}>${d.queuedAs}`)
              .join(",")}]`
          : "";
      return (
        `journey ${w.journey.key}${w.replaces ? " replaces" : ""} verdicts[${verdicts}] deliveries[${carried}]` +
        ` subject=${w.journey.subject ?? "-"}${across}`
      );
    }
    case "drop-journey":
      return `drop ${w.key}`;
    case "verdict":
      return `verdict ${w.verdict.lineId} unclaimed`;
    case "store":
      return `store ${w.store.lineId} ${w.store.folder}`;
    case "training": {
      const t = w.training;
      const replaces = w.replaces === undefined ? "" : ` replaces ${w.replaces}`;
      return `training ${t.key} classified=${t.classifiedUser ?? "-"} journey=${t.journeyKey ?? "-"} message=${t.messageId ?? "-"}${replaces}`;
    }
  }
}

export type ResolveCase = {
  name: string;
  /** Written into the store first, in this order (as earlier batches or runs did). */
  store: StoreWrite[];
  outputs: CorrelatorOutput[];
  writes: string[];
  /** Keys of the trainings the detectors are handed (their last version). */
  trainings?: string[];
};

const j1 = journey("mail/Q1/1709287200");

export const RESOLVE_CASES: ResolveCase[] = [
  {
    name: "a journey handed out for the first time into an empty store is inserted",
    store: [],
    outputs: [{ type: "journey", journey: j1, replaces: false }],
    writes: ["journey mail/Q1/1709287200 verdicts[] deliveries[Q2:-] subject=-"],
  },
  {
    name: "a journey handed out for the first time that the store already has (state lost) replaces it",
    store: [{ type: "journey", journey: j1, replaces: false }],
    outputs: [{ type: "journey", journey: j1, replaces: false }],
    writes: ["journey mail/Q1/1709287200 replaces verdicts[] deliveries[Q2:-] subject=-"],
  },
  {
    name: "late join: a journey claims the unclaimed classification of its Message-ID stored before it",
    store: [{ type: "verdict", verdict: verdict(20) }],
    outputs: [{ type: "journey", journey: j1, replaces: false }],
    writes: ["journey mail/Q1/1709287200 verdicts[20@Q2] deliveries[Q2:spam] subject=Cheap watches"],
  },
  {
    name: "a journey keeps its own subject and does not claim a classification twice",
    store: [{ type: "verdict", verdict: verdict(20) }],
    outputs: [
      {
        type: "journey",
        journey: { ...j1, subject: "Watches", verdicts: [verdict(20, { queueId: "Q2" })] },
        replaces: false,
      },
    ],
    writes: ["journey mail/Q1/1709287200 verdicts[20@Q2] deliveries[Q2:-] subject=Watches"],
  },
  {
    name: "classifications of another Message-ID, outside the join window, or claimed by another journey stay put",
    store: [
      { type: "verdict", verdict: verdict(21, { messageId: "<other@example.net>" }) },
      { type: "verdict", verdict: verdict(22, { ts: T0 - 3 * 3600_000 }) },
      {
        type: "journey",
        journey: journey("mail/Q7/1709287200", { verdicts: [verdict(23)], deliveries: [] }),
        replaces: false,
      },
    ],
    outputs: [{ type: "journey", journey: j1, replaces: false }],
    writes: ["journey mail/Q1/1709287200 verdicts[] deliveries[Q2:-] subject=-"],
  },
  {
    name: "a journey handed out again claims back the classifications it held",
    store: [
      { type: "journey", journey: { ...j1, verdicts: [verdict(20, { queueId: "Q2" })] }, replaces: false },
    ],
    outputs: [{ type: "journey", journey: j1, replaces: true }],
    writes: ["journey mail/Q1/1709287200 replaces verdicts[20@Q2] deliveries[Q2:spam] subject=Cheap watches"],
  },
  {
    name: "a journey without a Message-ID claims nothing",
    store: [{ type: "verdict", verdict: verdict(20, { messageId: null }) }],
    outputs: [{ type: "journey", journey: { ...j1, messageId: null }, replaces: false }],
    writes: ["journey mail/Q1/1709287200 verdicts[] deliveries[Q2:-] subject=-"],
  },
  {
    name: "a training learns who classified its message, the Message-ID and the journey from the stored signature",
    store: [
      { type: "journey", journey: { ...j1, verdicts: [verdict(20, { queueId: "Q2" })] }, replaces: false },
    ],
    outputs: [{ type: "training", training: training("sig20/1709290800/alice") }],
    writes: [
      "training sig20/1709290800/alice classified=alice@example.org journey=mail/Q1/1709287200 message=<m1@example.net>",
    ],
    trainings: ["sig20/1709290800/alice"],
  },
  {
    name: "a training whose signature nothing classified yet is stored as it is, its own Message-ID kept",
    store: [],
    outputs: [
      { type: "training", training: training("sig20/1709290800/alice", { messageId: "<own@example.net>" }) },
    ],
    writes: ["training sig20/1709290800/alice classified=- journey=- message=<own@example.net>"],
  },
  {
    name: "a retraining's command read after DSPAM's answer was stored on its own (another run): one training, under the command's key, in the answer's place",
    store: [
      {
        type: "training",
        training: stored(
          training("sig20/1709290801/alice", {
            ts: T0 + 60 * MINUTE + 1000,
            login: null,
            direction: "spam",
            outcome: "failed",
            reason: "Signature retrieval for 'sig20' failed",
            fromMailbox: null,
            toMailbox: null,
            lines: [91, 92],
          }),
        ),
      },
    ],
    outputs: [{ type: "training", training: training("sig20/1709290800/alice", { outcome: "unknown" }) }],
    writes: [
      "training sig20/1709290800/alice classified=- journey=- message=- replaces sig20/1709290801/alice",
    ],
    trainings: ["sig20/1709290800/alice"],
  },
  {
    name: "orphan verdict: stored unclaimed, it back-fills the trainings waiting for its signature",
    store: [{ type: "training", training: stored(training("sig20/1709290800/alice")) }],
    outputs: [{ type: "orphan-verdict", verdict: verdict(20, { messageId: null }) }],
    writes: [
      "verdict 20 unclaimed",
      "training sig20/1709290800/alice classified=alice@example.org journey=- message=-",
    ],
    trainings: ["sig20/1709290800/alice"],
  },
  {
    name: "orphan verdict of a journey the correlator let go: the stored journey is written again and claims it",
    store: [{ type: "journey", journey: j1, replaces: false }],
    outputs: [{ type: "orphan-verdict", verdict: verdict(20) }],
    writes: [
      "verdict 20 unclaimed",
      "journey mail/Q1/1709287200 replaces verdicts[20@Q2] deliveries[Q2:spam] subject=Cheap watches",
    ],
  },
  {
    name: "orphan verdict far from any stored journey of its Message-ID stays unclaimed",
    store: [{ type: "journey", journey: j1, replaces: false }],
    outputs: [{ type: "orphan-verdict", verdict: verdict(20, { ts: T0 + 6 * 3600_000 }) }],
    writes: ["verdict 20 unclaimed"],
  },
  {
    name: "training back-fill: a journey's own classification completes a training stored before it",
    store: [{ type: "training", training: stored(training("sig20/1709290800/alice")) }],
    outputs: [
      { type: "journey", journey: { ...j1, verdicts: [verdict(20, { queueId: "Q2" })] }, replaces: false },
    ],
    writes: [
      "journey mail/Q1/1709287200 verdicts[20@Q2] deliveries[Q2:-] subject=-",
      "training sig20/1709290800/alice classified=alice@example.org journey=mail/Q1/1709287200 message=<m1@example.net>",
    ],
    trainings: ["sig20/1709290800/alice"],
  },
  {
    name: "a training that knows its classifier and journey is not back-filled again",
    store: [
      { type: "journey", journey: j1, replaces: false },
      {
        type: "training",
        training: stored(training("sig20/1709290800/alice", { classifiedUser: "bob" }), j1.key),
      },
    ],
    outputs: [{ type: "orphan-verdict", verdict: verdict(20, { messageId: null }) }],
    writes: ["verdict 20 unclaimed"],
  },
  {
    name: "a dropped journey passes through; a training written twice is handed to the detectors once",
    store: [{ type: "journey", journey: j1, replaces: false }],
    outputs: [
      { type: "drop-journey", key: j1.key },
      { type: "training", training: training("sig20/1709290800/alice") },
      { type: "orphan-verdict", verdict: verdict(20, { messageId: null }) },
    ],
    writes: [
      "drop mail/Q1/1709287200",
      "training sig20/1709290800/alice classified=- journey=- message=-",
      "verdict 20 unclaimed",
      "training sig20/1709290800/alice classified=alice@example.org journey=- message=-",
    ],
    trainings: ["sig20/1709290800/alice"],
  },
];

/** The store a ResolveCase describes, in memory: answers as CorrelationLookup promises, and takes writes. */
export class MemoryStore implements CorrelationLookup {
  private readonly journeys = new Map<string, JourneyRecord>();
  /** Every classification by line, with the journey that claims it. */
  private readonly verdicts = new Map<number, VerdictRecord & { journeyKey: string | null }>();
  private readonly trainings = new Map<string, ResolvedTraining>();
  private readonly stores = new Map<number, StoreRecord>();

  apply(w: StoreWrite): void {
    switch (w.type) {
      case "journey":
        if (w.replaces) this.release(w.journey.key);
        this.journeys.set(w.journey.key, w.journey);
        for (const v of w.journey.verdicts) this.verdicts.set(v.lineId, { ...v, journeyKey: w.journey.key });
        break;
      case "drop-journey":
        this.release(w.key);
        this.journeys.delete(w.key);
        break;
      case "verdict":
        // As an upsert of the line: an existing classification is only let go.
        this.verdicts.set(w.verdict.lineId, {
          ...(this.verdicts.get(w.verdict.lineId) ?? w.verdict),
          queueId: w.verdict.queueId,
          journeyKey: null,
        });
        break;
      case "training":
        if (w.replaces !== undefined) this.trainings.delete(w.replaces);
        this.trainings.set(w.training.key, w.training);
        break;
      case "store":
        if (!this.stores.has(w.store.lineId)) this.stores.set(w.store.lineId, w.store);
        break;
    }
  }

  storesFor(sessions: readonly string[], messageId: string | null, from: number, to: number): StoreRecord[] {
    return [...this.stores.values()].filter((s) =>
      s.session
        ? sessions.includes(s.session)
        : messageId !== null && s.messageId === messageId && s.ts >= from && s.ts <= to,
    );
  }

  journeyBySession(session: string): JourneyRecord | undefined {
    const found = [...this.journeys.values()].find((j) => j.deliveries.some((d) => d.session === session));
    return found && this.withVerdicts(found);
  }

  private release(key: string): void {
    for (const v of this.verdicts.values()) if (v.journeyKey === key) v.journeyKey = null;
  }

  hasJourney(key: string): boolean {
    return this.journeys.has(key);
  }

  unclaimedVerdicts(messageId: string, from: number, to: number, claimedBy: string | null): VerdictRecord[] {
    return [...this.verdicts.values()]
      .filter(
        (v) =>
          v.messageId === messageId &&
          v.ts >= from &&
          v.ts <= to &&
          (v.journeyKey === null || v.journeyKey === claimedBy),
      )
      .sort((a, b) => a.ts - b.ts || a.lineId - b.lineId)
      .map(({ journeyKey: _, ...v }) => v);
  }

  journeyAround(messageId: string, ts: number, windowMs: number): JourneyRecord | undefined {
    const near = [...this.journeys.values()]
      .filter((j) => j.messageId === messageId && j.firstTs <= ts + windowMs && j.lastTs >= ts - windowMs)
      .sort((a, b) => Math.abs(a.firstTs - ts) - Math.abs(b.firstTs - ts))[0];
    return near && this.withVerdicts(near);
  }

  verdictBySignature(signature: string) {
    const newest = [...this.verdicts.values()]
      .filter((v) => v.signature === signature)
      .sort((a, b) => b.ts - a.ts)[0];
    return (
      newest && { filterUser: newest.filterUser, messageId: newest.messageId, journeyKey: newest.journeyKey }
    );
  }

  journeysByQueue(queueId: string, host: string, ts: number, windowMs: number): JourneyRecord[] {
    const near = (t: number) => t >= ts - windowMs && t <= ts + windowMs;
    return [...this.journeys.values()]
      .filter(
        (j) =>
          j.queues.some(
            (q) => q.queueId === queueId && q.host !== null && q.host !== host && near(q.firstTs),
          ) ||
          j.deliveries.some(
            (d) =>
              d.queuedAs === queueId &&
              near(d.ts) &&
              j.queues.some((q) => q.queueId === d.queueId && q.host !== null && q.host !== host),
          ),
      )
      .map((j) => this.withVerdicts(j));
  }

  private withVerdicts(journey: JourneyRecord): JourneyRecord {
    const verdicts = [...this.verdicts.values()]
      .filter((v) => v.journeyKey === journey.key)
      .map(({ journeyKey: _, ...v }) => v);
    return { ...journey, verdicts };
  }

  trainingsAwaitingVerdict(signature: string): ResolvedTraining[] {
    return this.trainingsOfSignature(signature).filter(
      (t) => t.classifiedUser === null || t.journeyKey === null,
    );
  }

  trainingsOfSignature(signature: string): ResolvedTraining[] {
    return [...this.trainings.values()].filter((t) => t.signature === signature);
  }
}
