import type { JourneyRecord, StoreRecord, VerdictRecord } from "../../core/journey.ts";
import type { ResolvedTraining, StoreWrite } from "../../correlate/resolve.ts";

/**
 * One life of a journey key: the row stored before the batch (stored id), or one the batch creates
 * (`created`: its place among the batch's journey rows). `queuesAt`/`deliveriesAt`: how many queue
 * and delivery rows the batch wrote before its last version's.
 */
export type Incarnation = {
  key: string;
  storedId: number | undefined;
  journey: JourneyRecord | null;
  created: number;
  queuesAt: number;
  deliveriesAt: number;
};

/**
 * Rows each table's id sequence gives out one by one (every insert or upsert takes one): a row's
 * place among them is the offset of its id from the first one the batch reserves (reserveIds).
 */
export type Taken = Record<"Journey" | "JourneyQueue" | "Delivery" | "Verdict" | "Training", number>;

/**
 * What a batch of writes leaves in the store, as SQLite's JourneyWriter (lib/store/journey-writer.ts)
 * would leave it applying them one by one: PostgreSQL then writes each table once, in a few
 * multi-row statements (lib/store/postgres/journey-writer.ts), instead of a round trip per row.
 */
export type NetWrites = {
  /** Stored journeys the batch replaces or drops: their classifications are released and their children deleted. */
  released: number[];
  /** Stored journeys the batch drops (a key dropped and written again gets a new row, as one by one). */
  dropped: number[];
  /** The journeys stored at the end, in the order their rows were first written (new ids follow it). */
  journeys: Incarnation[];
  /** Each classification written, with its first record (the columns a conflict keeps) and its last claim. */
  verdicts: { verdict: VerdictRecord; owner: Incarnation | null; queueId: string | null; at: number }[];
  stores: StoreRecord[];
  /** Trainings in the order written (a key written twice is merged twice), with the journey they named then. */
  trainings: { training: ResolvedTraining; owner: Incarnation | null; at: number }[];
  /** Keys of trainings another took the place of: deleted before the trainings are written. */
  droppedTrainings: string[];
  taken: Taken;
};

/** Folds `writes` (in order) over the journeys stored before the batch (`stored`: key → id). */
export function netWrites(writes: readonly StoreWrite[], stored: ReadonlyMap<string, number>): NetWrites {
  const live = new Map<string, Incarnation>();
  const alive = (key: string): Incarnation | undefined => {
    const current = live.get(key);
    if (current) return current.journey || current.storedId !== undefined ? current : undefined;
    const id = stored.get(key);
    if (id === undefined) return undefined;
    // A stored journey not written yet: its journey record is not known (it stays as stored).
    const incarnation: Incarnation = {
      key,
      storedId: id,
      journey: null,
      created: 0,
      queuesAt: 0,
      deliveriesAt: 0,
    };
    live.set(key, incarnation);
    return incarnation;
  };
  const released = new Set<number>();
  const dropped = new Set<number>();
  const created: Incarnation[] = [];
  const verdicts = new Map<number, NetWrites["verdicts"][number]>();
  const stores = new Map<number, StoreRecord>();
  let trainings: NetWrites["trainings"] = [];
  const droppedTrainings = new Set<string>();
  const taken: Taken = { Journey: 0, JourneyQueue: 0, Delivery: 0, Verdict: 0, Training: 0 };

  const release = (incarnation: Incarnation) => {
    if (incarnation.storedId !== undefined) released.add(incarnation.storedId);
    for (const v of verdicts.values())
      if (v.owner === incarnation) {
        v.owner = null;
        v.queueId = null;
      }
  };
  const claim = (verdict: VerdictRecord, owner: Incarnation | null) => {
    const known = verdicts.get(verdict.lineId);
    if (known) {
      known.owner = owner;
      known.queueId = verdict.queueId;
    } else verdicts.set(verdict.lineId, { verdict, owner, queueId: verdict.queueId, at: taken.Verdict });
    taken.Verdict += 1;
  };
  const end = (incarnation: Incarnation) => {
    release(incarnation);
    if (incarnation.storedId !== undefined) dropped.add(incarnation.storedId);
    // Dead: the key's next journey is a new row.
    live.set(incarnation.key, dead(incarnation.key));
  };

  for (const write of writes) {
    switch (write.type) {
      case "journey": {
        const { journey } = write;
        let incarnation = alive(journey.key);
        // Written again (`replaces`; one by one a second plain insert of a key would fail).
        if (incarnation) release(incarnation);
        if (!incarnation) {
          incarnation = { ...dead(journey.key), created: taken.Journey };
          live.set(journey.key, incarnation);
          created.push(incarnation);
        }
        incarnation.journey = journey;
        incarnation.queuesAt = taken.JourneyQueue;
        incarnation.deliveriesAt = taken.Delivery;
        taken.Journey += 1;
        taken.JourneyQueue += journey.queues.length;
        taken.Delivery += journey.deliveries.length;
        for (const verdict of journey.verdicts) claim(verdict, incarnation);
        break;
      }
      case "drop-journey": {
        const incarnation = alive(write.key);
        if (incarnation) end(incarnation);
        break;
      }
      case "verdict":
        claim(write.verdict, null);
        break;
      case "store":
        if (!stores.has(write.store.lineId)) stores.set(write.store.lineId, write.store);
        break;
      case "training": {
        // Deleted before the batch's trainings are written: what the batch wrote under it before goes too.
        const gone = write.replaces;
        if (gone !== undefined) {
          droppedTrainings.add(gone);
          trainings = trainings.filter((t) => t.training.key !== gone);
        }
        const key = write.training.journeyKey;
        const owner = key === null ? null : (alive(key) ?? null);
        trainings.push({ training: write.training, owner, at: taken.Training });
        taken.Training += 1;
        break;
      }
    }
  }
  const storedWritten = [...live.values()].filter(
    (i) => i.storedId !== undefined && i.journey !== null && !dropped.has(i.storedId),
  );
  return {
    released: [...released],
    dropped: [...dropped],
    journeys: [...storedWritten, ...created.filter((i) => live.get(i.key) === i)],
    verdicts: [...verdicts.values()],
    stores: [...stores.values()],
    trainings,
    droppedTrainings: [...droppedTrainings],
    taken,
  };
}

const dead = (key: string): Incarnation => ({
  key,
  storedId: undefined,
  journey: null,
  created: 0,
  queuesAt: 0,
  deliveriesAt: 0,
});
