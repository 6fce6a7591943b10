// What the correlator's outputs become once they meet what earlier batches and runs stored: a
// classification whose journey was let go (its file was ingested later), journeys claiming the
// classifications stored before them, trainings learning who classified their message, the halves
// of a message relayed between servers, Dovecot's stores read in another run than their delivery.
// Decided here from a small lookup interface the store implements; the store only writes.
import type {
  CorrelatorOutput,
  JourneyRecord,
  StoreRecord,
  TrainingRecord,
  VerdictRecord,
} from "../core/journey.ts";
import { assignVerdicts } from "./assign-verdicts.ts";
import { DEFAULTS } from "./context.ts";
import { areRelayHalves, mergeHalves, relayQueueIds } from "./join-hosts.ts";
import { awaitsStore, storeSessions, withStores } from "./late-stores.ts";
import { baseSession } from "./mailbox.ts";
import { withStoredHalf } from "./training-halves.ts";
import { isScan } from "./verdicts.ts";

/** A training as stored: with the DSPAM user that classified its message and that message's journey, from the signature's verdict. */
export type ResolvedTraining = TrainingRecord & { journeyKey: string | null };

/** What the store holds, as far as the decisions below need it. Each call sees every write made before it. */
export interface CorrelationLookup {
  hasJourney(key: string): boolean;
  /**
   * Stored classifications of a Message-ID between two times that no journey claims (or only the
   * journey `claimedBy`, which is being replaced), oldest first.
   */
  unclaimedVerdicts(messageId: string, from: number, to: number, claimedBy: string | null): VerdictRecord[];
  /** The stored journey of a Message-ID whose lines span `ts` (± window), the one starting nearest to it. */
  journeyAround(messageId: string, ts: number, windowMs: number): JourneyRecord | undefined;
  /** The newest stored classification with a signature, and the journey that carries it. */
  verdictBySignature(
    signature: string,
  ): { filterUser: string | null; messageId: string | null; journeyKey: string | null } | undefined;
  /** Stored trainings of a signature that do not know yet who classified the message, or its journey. */
  trainingsAwaitingVerdict(signature: string): ResolvedTraining[];
  /** Every stored training of a signature (a message is retrained a few times at most). */
  trainingsOfSignature(signature: string): ResolvedTraining[];
  /**
   * Stored journeys with a queue `queueId` on a host other than `host` that started, or a delivery
   * from a queue on a host other than `host` answered `queued as queueId`, between `ts - windowMs`
   * and `ts + windowMs`: the halves of a message relayed between servers.
   */
  journeysByQueue(queueId: string, host: string, ts: number, windowMs: number): JourneyRecord[];
  /**
   * Stored Dovecot stores (written by a `store` write) with one of these LMTP session ids, or
   * without a session, of this Message-ID between two times.
   */
  storesFor(sessions: readonly string[], messageId: string | null, from: number, to: number): StoreRecord[];
  /** The stored journey with a delivery whose LMTP reply carried this session id. */
  journeyBySession(session: string): JourneyRecord | undefined;
}

/** One write for the store, in order: each is applied before the next decision is made. */
export type StoreWrite =
  /** `replaces`: rows stored under this key are replaced (its old classifications released first). */
  | { type: "journey"; journey: JourneyRecord; replaces: boolean }
  | { type: "drop-journey"; key: string }
  /** A classification no journey claims (yet). */
  | { type: "verdict"; verdict: VerdictRecord }
  /** A Dovecot store no delivery took (yet); kept once per line. */
  | { type: "store"; store: StoreRecord }
  /** `replaces`: the key of a stored training this one takes the place of (its other half, keyed apart). */
  | { type: "training"; training: ResolvedTraining; replaces?: string };

/** What was written, for the detectors: journeys and trainings as stored, and journeys dropped. */
export type WrittenOutputs = {
  journeys: JourneyRecord[];
  trainings: ResolvedTraining[];
  droppedJourneys: string[];
  /** Stored trainings another took the place of. */
  droppedTrainings: string[];
  /** Classifications of mail no journey took, neither the correlator's nor one stored by an earlier run. */
  orphanVerdicts: number;
};

/** Decides the writes for the correlator's outputs, in order, and applies each through `write`. */
export function resolveOutputs(
  outputs: readonly CorrelatorOutput[],
  lookup: CorrelationLookup,
  write: (write: StoreWrite) => void,
): WrittenOutputs {
  const journeys: JourneyRecord[] = [];
  // The last version of each training written: what the store holds at the end.
  const trainings = new Map<string, ResolvedTraining>();
  const droppedJourneys: string[] = [];
  const droppedTrainings: string[] = [];
  let orphanVerdicts = 0;
  const apply = (w: StoreWrite) => {
    write(w);
    if (w.type === "journey") journeys.push(w.journey);
    else if (w.type === "training") {
      if (w.replaces !== undefined) {
        trainings.delete(w.replaces);
        droppedTrainings.push(w.replaces);
      }
      trainings.set(w.training.key, w.training);
    } else if (w.type === "drop-journey") droppedJourneys.push(w.key);
  };
  for (let i = 0; i < outputs.length; i++) {
    const output = outputs[i] as CorrelatorOutput;
    switch (output.type) {
      case "journey":
        storeJourney(output.journey, output.replaces, lookup, apply);
        break;
      case "drop-journey":
        apply(output);
        break;
      case "training":
        apply({ type: "training", ...storedTraining(output.training, lookup) });
        break;
      case "orphan-verdict": {
        apply({ type: "verdict", verdict: output.verdict });
        backfill(output.verdict, null, lookup, apply);
        // A classification whose journey the correlator had already let go: the stored journey
        // is written again, and claims it.
        const late = output.verdict.messageId
          ? lookup.journeyAround(output.verdict.messageId, output.verdict.ts, DEFAULTS.joinWindowMs)
          : undefined;
        if (late) storeJourney(late, true, lookup, apply);
        else orphanVerdicts += 1;
        break;
      }
      case "orphan-store": {
        // Stores in a row (a Dovecot log read after the maillog is little else): one write for
        // each stored journey they complete, not one per store.
        const stores: StoreRecord[] = [];
        for (let next = outputs[i]; next?.type === "orphan-store"; next = outputs[++i])
          stores.push(next.store);
        i -= 1;
        completeStoredJourneys(stores, lookup, apply);
        break;
      }
    }
  }
  return { journeys, trainings: [...trainings.values()], droppedJourneys, droppedTrainings, orphanVerdicts };
}

// Their deliveries were stored by an earlier run (Postfix's server read first): completed now.
function completeStoredJourneys(
  stores: readonly StoreRecord[],
  lookup: CorrelationLookup,
  apply: (write: StoreWrite) => void,
): void {
  const byJourney = new Map<string, { journey: JourneyRecord; stores: StoreRecord[] }>();
  for (const store of stores) {
    apply({ type: "store", store });
    const stored = storedDeliveryOf(store, lookup);
    if (!stored) continue;
    const entry = byJourney.get(stored.key);
    if (entry) entry.stores.push(store);
    else byJourney.set(stored.key, { journey: stored, stores: [store] });
  }
  for (const { journey, stores: its } of byJourney.values()) {
    const completed = withStores(journey, its);
    if (completed) storeJourney(completed, true, lookup, apply);
  }
}

function storeJourney(
  handedOut: JourneyRecord,
  replaces: boolean,
  lookup: CorrelationLookup,
  apply: (write: StoreWrite) => void,
): void {
  const joined = withOtherServers(handedOut, lookup);
  // Handed out for the first time, a journey is normally new; if the store has it anyway (the
  // correlator's state was lost, or it is the stored half of a message another server relayed),
  // it is replaced like any journey handed out again.
  const replacing =
    (replaces && joined.journey.key === handedOut.key) || lookup.hasJourney(joined.journey.key);
  const journey = withUnclaimedVerdicts(withStoredStores(joined.journey, lookup), replacing, lookup);
  apply({ type: "journey", journey, replaces: replacing });
  for (const key of joined.replaced)
    if (key !== journey.key && lookup.hasJourney(key)) apply({ type: "drop-journey", key });
  for (const verdict of journey.verdicts) backfill(verdict, journey.key, lookup, apply);
}

// The halves of this message stored from other servers (relayed to or from them, read earlier):
// merged into one journey, under the key of the half the message entered by; the other keys go.
function withOtherServers(
  handedOut: JourneyRecord,
  lookup: CorrelationLookup,
): { journey: JourneyRecord; replaced: string[] } {
  let journey = handedOut;
  const replaced = [handedOut.key];
  const seen = new Set<string>();
  // Grows as halves join: a message may cross several servers.
  for (let i = 0; i < relayQueueIds(journey).length; i++) {
    const { queueId, host, ts } = relayQueueIds(journey)[i] as ReturnType<typeof relayQueueIds>[number];
    for (const stored of lookup.journeysByQueue(queueId, host, ts, DEFAULTS.joinWindowMs)) {
      if (seen.has(stored.key)) continue;
      // The stored version of this very journey holds the parts other servers added to it.
      if (stored.key !== handedOut.key && !areRelayHalves(journey, stored)) continue;
      seen.add(stored.key);
      if (stored.key !== handedOut.key) replaced.push(stored.key);
      journey = mergeHalves(stored, journey);
    }
  }
  return { journey, replaced };
}

function storedDeliveryOf(store: StoreRecord, lookup: CorrelationLookup): JourneyRecord | undefined {
  if (store.session)
    return lookup.journeyBySession(store.session) ?? lookup.journeyBySession(baseSession(store.session));
  return store.messageId ? lookup.journeyAround(store.messageId, store.ts, DEFAULTS.joinWindowMs) : undefined;
}

// Gives the mailbox deliveries without a folder the Dovecot stores read before them (another
// server's logs, read by an earlier run).
function withStoredStores(journey: JourneyRecord, lookup: CorrelationLookup): JourneyRecord {
  if (!awaitsStore(journey)) return journey;
  const window = DEFAULTS.joinWindowMs;
  const stores = lookup.storesFor(
    storeSessions(journey),
    journey.messageId,
    journey.firstTs - window,
    journey.lastTs + window,
  );
  return (stores.length > 0 && withStores(journey, stores)) || journey;
}

// Adds the stored classifications of this message that no journey has (written before it).
function withUnclaimedVerdicts(
  journey: JourneyRecord,
  replacing: boolean,
  lookup: CorrelationLookup,
): JourneyRecord {
  if (!journey.messageId) return journey;
  const window = DEFAULTS.joinWindowMs;
  const found = lookup
    .unclaimedVerdicts(
      journey.messageId,
      journey.firstTs - window,
      journey.lastTs + window,
      replacing ? journey.key : null,
    )
    .filter((v) => !journey.verdicts.some((own) => own.lineId === v.lineId))
    // A milter's scan belongs to the queue it names, not to every journey of its Message-ID.
    .filter((v) => !isScan(v) || journey.queues.some((q) => q.queueId === v.queueId));
  if (found.length === 0) return journey;
  const { verdicts, deliveries } = assignVerdicts(
    journey.queues,
    [...journey.verdicts, ...found],
    journey.deliveries,
  );
  return {
    ...journey,
    verdicts,
    deliveries,
    subject: journey.subject ?? verdicts.find((v) => v.subject)?.subject ?? null,
  };
}

function storedTraining(
  training: TrainingRecord,
  lookup: CorrelationLookup,
): { training: ResolvedTraining; replaces?: string } {
  const resolved = resolveTraining(training, lookup);
  return resolved.signature
    ? withStoredHalf(resolved, lookup.trainingsOfSignature(resolved.signature))
    : { training: resolved };
}

function resolveTraining(training: TrainingRecord, lookup: CorrelationLookup): ResolvedTraining {
  if (!training.signature && training.messageId) return learnOfMessage(training, training.messageId, lookup);
  const verdict = training.signature ? lookup.verdictBySignature(training.signature) : undefined;
  return {
    ...training,
    classifiedUser: verdict?.filterUser ?? training.classifiedUser,
    messageId: training.messageId ?? verdict?.messageId ?? null,
    journeyKey: verdict?.journeyKey ?? null,
  };
}

// Retraining weeks after delivery: the message's stored journey, however long ago.
const LEARN_LOOKBACK_MS = 90 * 86_400_000;

// A learn that names its message, not a signature (Rspamd): whose scan scored the message comes
// from the message's journey — the copy delivered to the learner, else the journey's scan — when
// the correlator had let the journey go (it ended long before, or was stored by an earlier run).
function learnOfMessage(
  training: TrainingRecord,
  messageId: string,
  lookup: CorrelationLookup,
): ResolvedTraining {
  const journey = lookup.journeyAround(messageId, training.ts, LEARN_LOOKBACK_MS);
  if (!journey) return { ...training, journeyKey: null };
  const learner = training.filterUser?.toLowerCase();
  const copy = journey.deliveries.find(
    (d) => d.verdict?.filter === training.filter && d.mailbox?.user.toLowerCase() === learner,
  );
  const scan = journey.verdicts.find((v) => v.filter === training.filter);
  return {
    ...training,
    classifiedUser: training.classifiedUser ?? copy?.verdict?.filterUser ?? scan?.filterUser ?? null,
    journeyKey: journey.key,
  };
}

// A classification stored after the training it explains (its file was ingested later).
function backfill(
  verdict: VerdictRecord,
  journeyKey: string | null,
  lookup: CorrelationLookup,
  apply: (write: StoreWrite) => void,
): void {
  if (!verdict.signature) return;
  for (const training of lookup.trainingsAwaitingVerdict(verdict.signature)) {
    apply({
      type: "training",
      training: {
        ...training,
        classifiedUser: verdict.filterUser,
        journeyKey,
        messageId: training.messageId ?? verdict.messageId,
      },
    });
  }
}
