import type { JourneyRecord } from "../core/journey.ts";
import { domainOf } from "../correlate/classify.ts";
import type { ResolvedTraining, WrittenOutputs } from "../correlate/resolve.ts";
import type { Db } from "../db/connection.ts";
import {
  type DetectContext,
  type DspamUserSeen,
  detectDspamUsers,
  detectJourney,
  detectTraining,
  type Evidence,
  WHOLE_KINDS,
} from "../detect/index.ts";
import { DETECTORS_VERSION } from "../detect/kinds.ts";
import { passedFilter } from "../filters/passed-filter.ts";
import { type EvidenceSink, FindingWriter } from "./finding-writer.ts";
import { readJourney, readTrainings, type StoredTraining } from "./journey-reader.ts";

/** What earlier runs learnt, one column each; the same SQL on both databases. */
export const LEARNT_SQL = {
  mxServices: `SELECT DISTINCT "service" FROM "Journey" WHERE "origin" = 'inbound' AND "service" IS NOT NULL`,
  filteredServices: `SELECT DISTINCT "service" FROM "Journey" WHERE "origin" = 'inbound' AND "filtered" = TRUE AND "service" IS NOT NULL`,
  mailboxes: `SELECT DISTINCT lower("recipient") FROM "Delivery" WHERE "destination" = 'mailbox' AND "status" = 'sent'
    UNION SELECT DISTINCT lower("mailboxUser") FROM "Delivery" WHERE "mailboxUser" IS NOT NULL AND "status" = 'sent'`,
};

/** What the detectors learn about the server as journeys are written (and what earlier runs stored). */
export class LearnedContext implements DetectContext {
  readonly mxServices = new Set<string>();
  readonly filteredServices = new Set<string>();
  readonly mailboxes = new Set<string>();

  constructor(private readonly localDomains: () => readonly string[]) {}

  isLocalRecipient = (address: string): boolean => {
    const domain = domainOf(address);
    return domain === null || this.localDomains().includes(domain);
  };

  /** Loads what earlier runs learnt. */
  loadFrom(db: Db): this {
    const rows = (sql: string) => db.prepare(sql).pluck().all() as string[];
    return this.loadRows(
      rows(LEARNT_SQL.mxServices),
      rows(LEARNT_SQL.filteredServices),
      rows(LEARNT_SQL.mailboxes),
    );
  }

  loadRows(mxServices: string[], filteredServices: string[], mailboxes: string[]): this {
    for (const s of mxServices) this.mxServices.add(s);
    for (const s of filteredServices) this.filteredServices.add(s);
    for (const m of mailboxes) this.mailboxes.add(m);
    return this;
  }

  learn(journey: JourneyRecord): void {
    if (journey.origin === "inbound" && journey.service) {
      this.mxServices.add(journey.service);
      if (passedFilter(journey)) this.filteredServices.add(journey.service);
    }
    for (const d of journey.deliveries) {
      if (d.destination !== "mailbox" || d.status !== "sent") continue;
      this.mailboxes.add(d.recipient.toLowerCase());
      if (d.mailbox) this.mailboxes.add(d.mailbox.user.toLowerCase());
    }
  }
}

/** Which evidence the detectors' results replace: the same on both databases. */
export class DetectionRules {
  constructor(
    readonly context: LearnedContext,
    private readonly sink: EvidenceSink,
  ) {}

  /** Journeys and trainings just written: their evidence replaces what they showed before. */
  written(written: WrittenOutputs): void {
    for (const journey of written.journeys) this.context.learn(journey);
    for (const journey of written.journeys)
      this.sink.replace([journey.key], detectJourney(journey, this.context));
    if (written.droppedJourneys.length > 0) this.sink.replace(written.droppedJourneys, []);
    if (written.droppedTrainings.length > 0) this.sink.replace(written.droppedTrainings, []);
    for (const training of written.trainings) this.sink.replace([training.key], detectTraining(training));
  }

  /** Evidence found in the new lines themselves (lib/detect's detectLines). */
  lineEvidence(evidence: readonly Evidence[]): void {
    if (evidence.length > 0)
      this.sink.replace(
        evidence.map((e) => e.ref),
        evidence,
      );
  }

  /** A stored journey or retraining detected again (after the detectors changed). */
  redetect(item: { journey: JourneyRecord } | { training: ResolvedTraining | StoredTraining }): void {
    if ("journey" in item) this.sink.replace([item.journey.key], detectJourney(item.journey, this.context));
    else this.sink.replace([item.training.key], detectTraining(item.training));
  }

  /** Findings about the whole server, from every DSPAM user seen. */
  global(users: DspamUserSeen[]): void {
    const evidence = detectDspamUsers(users, this.context);
    for (const kind of WHOLE_KINDS)
      this.sink.replaceKind(
        kind,
        evidence.filter((e) => e.kind === kind),
      );
  }
}

/** Runs the detectors on what the correlator wrote and keeps the findings up to date (SQLite). */
export class Detection extends DetectionRules {
  private readonly writer: FindingWriter;

  constructor(
    private readonly db: Db,
    localDomains: () => readonly string[],
    private readonly now: () => number = Date.now,
  ) {
    const writer = new FindingWriter(db, now);
    super(new LearnedContext(localDomains).loadFrom(db), writer);
    this.writer = writer;
  }

  /** Brings the findings touched since the last call up to date (once per write batch). */
  flush(): void {
    this.writer.flush();
  }

  /**
   * After an upgrade whose detectors find or group things differently (DETECTORS_VERSION), detects
   * every stored journey and retraining again: their evidence replaces what the old detectors wrote,
   * and findings left without evidence are dropped (those someone acknowledged or muted stay, with
   * their audit trail).
   */
  redetectIfChanged(): boolean {
    const stored = this.db.prepare(`SELECT value FROM Setting WHERE key = 'detectors'`).pluck().get();
    if (stored === String(DETECTORS_VERSION)) return false;
    const ids = this.db.prepare(`SELECT id FROM Journey ORDER BY id`).pluck().all() as number[];
    for (const id of ids) {
      const journey = readJourney(this.db, id);
      if (journey) this.redetect({ journey });
    }
    for (const training of readTrainings(this.db)) this.redetect({ training });
    this.recomputeGlobal();
    this.db.prepare(SAVE_DETECTORS_VERSION_SQL).run(String(DETECTORS_VERSION), this.now());
    return ids.length > 0;
  }

  /** Findings about the whole server, recomputed from the database (end of a run). */
  recomputeGlobal(): void {
    this.global(dspamUsers(this.db));
  }
}

export const SAVE_DETECTORS_VERSION_SQL = `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ('detectors', ?, ?)
  ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`;

type VerdictsOfUser = { user: string; first: number; last: number; n: number; lines: string | null };
type TrainingOfUser = { user: string; ts: number; lines: string };

function dspamUsers(db: Db): DspamUserSeen[] {
  const verdicts = db
    .prepare(
      `WITH ranked AS (
         SELECT lower(filterUser) AS user, ts, lineId,
           row_number() OVER (PARTITION BY lower(filterUser) ORDER BY ts) AS rn
         FROM Verdict WHERE filter = 'dspam' AND filterUser IS NOT NULL)
       SELECT user, min(ts) AS first, max(ts) AS last, count(*) AS n,
         group_concat(CASE WHEN rn <= 5 THEN lineId END) AS lines
       FROM ranked GROUP BY user`,
    )
    .all() as VerdictsOfUser[];
  const trainings = db
    .prepare(
      `SELECT lower(filterUser) AS user, ts, lines FROM Training
       WHERE filter = 'dspam' AND filterUser IS NOT NULL ORDER BY ts`,
    )
    .all() as TrainingOfUser[];
  return [
    ...dspamUsersSeen(verdicts, trainings),
    ...rspamdLearnUsers(db.prepare(rspamdLearnsSql(`"ts"`)).all() as TrainingOfUser[]),
  ];
}

/** Rspamd's Bayes users that learns went into (a refused learn creates none); `ts` as each database reads it. */
export const rspamdLearnsSql = (
  ts: string,
) => `SELECT lower("filterUser") AS "user", ${ts}, "lines" FROM "Training"
  WHERE "filter" = 'rspamd' AND "outcome" = 'applied' AND "filterUser" IS NOT NULL ORDER BY "ts", "id"`;

/** Rspamd's Bayes users as the stray-user detector takes them: learned into, never classifying (that is classified-under-alias). */
export const rspamdLearnUsers = (learns: TrainingOfUser[]): DspamUserSeen[] =>
  dspamUsersSeen([], learns).map((seen) => ({ ...seen, filter: "rspamd" }));

/** Each DSPAM user's classifications (first five lines) and retrainings, as the sprawl detector takes them. */
export function dspamUsersSeen(verdicts: VerdictsOfUser[], trainings: TrainingOfUser[]): DspamUserSeen[] {
  const users = new Map<string, DspamUserSeen>();
  const entry = (user: string, ts: number) => {
    let seen = users.get(user);
    if (!seen) {
      seen = { user, firstSeen: ts, lastSeen: ts, classified: 0, retrainTargets: 0, lineIds: [] };
      users.set(user, seen);
    }
    seen.firstSeen = Math.min(seen.firstSeen, ts);
    seen.lastSeen = Math.max(seen.lastSeen, ts);
    return seen;
  };
  for (const v of verdicts) {
    const seen = entry(v.user, v.first);
    seen.lastSeen = Math.max(seen.lastSeen, v.last);
    seen.classified += v.n;
    seen.lineIds.push(...(v.lines ?? "").split(",").filter(Boolean).map(Number));
  }
  for (const t of trainings) {
    const seen = entry(t.user, t.ts);
    seen.retrainTargets += 1;
    if (seen.lineIds.length < 20) seen.lineIds.push(...(JSON.parse(t.lines) as number[]));
  }
  return [...users.values()];
}
