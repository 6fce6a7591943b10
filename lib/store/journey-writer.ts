import type {
  DeliveryRecord,
  JourneyRecord,
  QueueRecord,
  StoreRecord,
  VerdictRecord,
} from "../core/journey.ts";
import type { ResolvedTraining, StoreWrite } from "../correlate/resolve.ts";
import type { Db } from "../db/connection.ts";
import type { SearchWordsKeeper } from "../db/search-terms.ts";
import { passedFilter } from "../filters/passed-filter.ts";
import { isSpamResult } from "../filters/results.ts";

const json = (value: unknown) => JSON.stringify(value);

function verdictSummary(journey: JourneyRecord): string | null {
  if (journey.verdicts.length === 0) return null;
  return journey.verdicts.some((v) => isSpamResult(v.result)) ? "spam" : "innocent";
}

const isFinal = (d: DeliveryRecord) => d.destination === "mailbox" || d.destination === "external";

// ASCII-only, as SQLite's lower() that filled the column for older journeys (migration recipient_sort).
const asciiLower = (text: string) => text.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());

/** The lowest final recipient in lower case: the key of the Messages page's sort by recipient. */
export function recipientSort(journey: JourneyRecord): string | null {
  let lowest: string | null = null;
  for (const d of journey.deliveries) {
    if (!isFinal(d)) continue;
    const address = asciiLower(d.recipient);
    if (lowest === null || address < lowest) lowest = address;
  }
  return lowest;
}

/** A time as the database binds it: epoch ms on SQLite, an ISO text on PostgreSQL (lib/store/postgres/sql.ts). */
export type TimeParam = (ms: number) => unknown;
const asMs: TimeParam = (ms) => ms;

const names = (columns: readonly string[]) => columns.map((c) => `"${c}"`).join(", ");
const places = (columns: readonly string[]) => columns.map(() => "?").join(", ");
const insert = (table: string, columns: readonly string[]) =>
  `INSERT INTO "${table}" (${names(columns)}) VALUES (${places(columns)})`;
const updates = (columns: readonly string[]) => columns.map((c) => `"${c}" = excluded."${c}"`).join(", ");

// Each table's columns and a record's values for them, in that order.
const JOURNEY_COLUMNS = [
  "key",
  "host",
  "messageId",
  "firstTs",
  "lastTs",
  "complete",
  "inProgress",
  "origin",
  "service",
  "clientName",
  "clientIp",
  "saslUsername",
  "sender",
  "size",
  "subject",
  "parentKey",
  "parentRelation",
  "filtered",
  "verdict",
  "delivered",
  "lines",
  "recipientSort",
];
const QUEUE_COLUMNS = [
  "journeyId",
  "position",
  "host",
  "queueId",
  "firstTs",
  "lastTs",
  "via",
  "service",
  "clientName",
  "clientIp",
  "saslMethod",
  "saslUsername",
  "pickupUid",
  "sender",
  "size",
  "nrcpt",
  "messageId",
  "receivedFor",
  "closed",
  "parentQueueId",
  "linkRule",
  "linkConfidence",
  "linkRecipient",
  "actions",
];
const DELIVERY_COLUMNS = [
  "journeyId",
  "queueId",
  "ts",
  "recipient",
  "origRecipient",
  "relay",
  "agent",
  "status",
  "dsn",
  "reply",
  "destination",
  "filter",
  "session",
  "queuedAs",
  "forwardedAs",
  "mailboxUser",
  "folder",
  "folderMatch",
  "verdictFilter",
  "verdictUser",
  "verdictClass",
  "verdictSignature",
  "lineId",
];
const VERDICT_COLUMNS = [
  "journeyId",
  "ts",
  "filter",
  "filterUser",
  "result",
  "action",
  "score",
  "signature",
  "status",
  "from",
  "subject",
  "messageId",
  "queueId",
  "lineId",
];
const TRAINING_COLUMNS = [
  "key",
  "ts",
  "host",
  "login",
  "filter",
  "filterUser",
  "classifiedUser",
  "signature",
  "messageId",
  "journeyId",
  "direction",
  "outcome",
  "reason",
  "fromMailbox",
  "toMailbox",
  "lines",
];
const STORE_COLUMNS = ["lineId", "ts", "host", "user", "session", "messageId", "folder"];

// What a row written again keeps or takes (the same on both databases).
const JOURNEY_CONFLICT = `ON CONFLICT ("key") DO UPDATE SET ${updates(JOURNEY_COLUMNS.slice(1))}`;
// Classifications are never deleted with their journey: released, they are claimed again by the
// journey's new version (or the journey it was merged into).
const VERDICT_CONFLICT = `ON CONFLICT ("lineId") DO UPDATE SET "journeyId" = excluded."journeyId", "queueId" = excluded."queueId"`;
const STORE_CONFLICT = `ON CONFLICT ("lineId") DO NOTHING`;
// A training written again carries what its run saw: the IMAP host's run knows the login and
// the folders, the filter host's run DSPAM's answer; neither forgets what the other stored.
const TRAINING_CONFLICT = `ON CONFLICT ("key") DO UPDATE SET "direction" = excluded."direction",
      "login" = coalesce(excluded."login", "Training"."login"), "filterUser" = excluded."filterUser",
      "classifiedUser" = excluded."classifiedUser", "messageId" = excluded."messageId", "journeyId" = excluded."journeyId",
      "outcome" = CASE WHEN excluded."outcome" = 'unknown' THEN "Training"."outcome" ELSE excluded."outcome" END,
      "reason" = CASE WHEN excluded."outcome" = 'unknown' THEN "Training"."reason" ELSE excluded."reason" END,
      "host" = coalesce(excluded."host", "Training"."host"),
      "fromMailbox" = coalesce(excluded."fromMailbox", "Training"."fromMailbox"),
      "toMailbox" = coalesce(excluded."toMailbox", "Training"."toMailbox"), "lines" = excluded."lines"`;

/**
 * Each table's columns (in the order of the *Row functions below) and what a row written again
 * does: SQLite's statements below and PostgreSQL's multi-row ones (lib/store/postgres/journey-writer.ts).
 */
export const JOURNEY_TABLES = {
  journey: { table: "Journey", columns: JOURNEY_COLUMNS, conflict: JOURNEY_CONFLICT },
  queue: { table: "JourneyQueue", columns: QUEUE_COLUMNS, conflict: "" },
  delivery: { table: "Delivery", columns: DELIVERY_COLUMNS, conflict: "" },
  host: { table: "JourneyHost", columns: ["journeyId", "host"], conflict: "" },
  verdict: { table: "Verdict", columns: VERDICT_COLUMNS, conflict: VERDICT_CONFLICT },
  store: { table: "DovecotStore", columns: STORE_COLUMNS, conflict: STORE_CONFLICT },
  training: { table: "Training", columns: TRAINING_COLUMNS, conflict: TRAINING_CONFLICT },
} as const;

/** The write path's statements for SQLite: quoted names, `?` in the order of the *Row functions below. */
export const JOURNEY_SQL = {
  insertJourney: `${insert("Journey", JOURNEY_COLUMNS)} RETURNING "id"`,
  upsertJourney: `${insert("Journey", JOURNEY_COLUMNS)} ${JOURNEY_CONFLICT} RETURNING "id"`,
  journeyIdByKey: `SELECT "id" FROM "Journey" WHERE "key" = ?`,
  deleteJourney: `DELETE FROM "Journey" WHERE "id" = ?`,
  deleteTraining: `DELETE FROM "Training" WHERE "key" = ?`,
  deleteChildren: [
    `DELETE FROM "JourneyQueue" WHERE "journeyId" = ?`,
    `DELETE FROM "Delivery" WHERE "journeyId" = ?`,
    `DELETE FROM "JourneyHost" WHERE "journeyId" = ?`,
  ],
  insertHost: `INSERT INTO "JourneyHost" ("journeyId", "host") VALUES (?, ?)`,
  releaseVerdicts: `UPDATE "Verdict" SET "journeyId" = NULL, "queueId" = NULL WHERE "journeyId" = ?`,
  insertQueue: insert("JourneyQueue", QUEUE_COLUMNS),
  insertDelivery: insert("Delivery", DELIVERY_COLUMNS),
  insertVerdict: `${insert("Verdict", VERDICT_COLUMNS)} ${VERDICT_CONFLICT}`,
  insertStore: `${insert("DovecotStore", STORE_COLUMNS)} ${STORE_CONFLICT}`,
  upsertTraining: `${insert("Training", TRAINING_COLUMNS)} ${TRAINING_CONFLICT}`,
};

export function journeyRow(journey: JourneyRecord, time: TimeParam = asMs): unknown[] {
  return [
    journey.key,
    journey.host,
    journey.messageId,
    time(journey.firstTs),
    time(journey.lastTs),
    journey.complete ? 1 : 0,
    journey.inProgress ? 1 : 0,
    journey.origin,
    journey.service,
    journey.clientName,
    journey.clientIp,
    journey.saslUsername,
    journey.sender,
    journey.size,
    journey.subject,
    journey.parent?.key ?? null,
    journey.parent?.relation ?? null,
    passedFilter(journey) ? 1 : 0,
    verdictSummary(journey),
    journey.deliveries.filter((d) => isFinal(d) && d.status === "sent").length,
    json(journey.lines.map((l) => [l.lineId, l.hop])),
    recipientSort(journey),
  ];
}

export function queueRow(
  journeyId: number,
  position: number,
  q: QueueRecord,
  time: TimeParam = asMs,
): unknown[] {
  return [
    journeyId,
    position,
    q.host,
    q.queueId,
    time(q.firstTs),
    time(q.lastTs),
    q.via,
    q.service,
    q.clientName,
    q.clientIp,
    q.saslMethod,
    q.saslUsername,
    q.pickupUid,
    q.sender,
    q.size,
    q.nrcpt,
    q.messageId,
    q.receivedFor,
    q.closed,
    q.parent?.queueId ?? null,
    q.parent?.rule ?? null,
    q.parent?.confidence ?? null,
    q.parent?.recipient ?? null,
    json(q.actions),
  ];
}

export function deliveryRow(journeyId: number, d: DeliveryRecord, time: TimeParam = asMs): unknown[] {
  return [
    journeyId,
    d.queueId,
    time(d.ts),
    d.recipient,
    d.origRecipient,
    d.relay,
    d.agent,
    d.status,
    d.dsn,
    d.reply,
    d.destination,
    d.filter,
    d.session,
    d.queuedAs,
    d.forwardedAs,
    d.mailbox?.user ?? null,
    d.mailbox?.folder ?? null,
    d.mailbox?.match ?? null,
    d.verdict?.filter ?? null,
    d.verdict?.filterUser ?? null,
    d.verdict?.result ?? null,
    d.verdict?.signature ?? null,
    d.lineId,
  ];
}

export function verdictRow(journeyId: number | null, v: VerdictRecord, time: TimeParam = asMs): unknown[] {
  return [
    journeyId,
    time(v.ts),
    v.filter,
    v.filterUser,
    v.result,
    v.action,
    v.score,
    v.signature,
    v.status,
    v.from,
    v.subject,
    v.messageId,
    v.queueId,
    v.lineId,
  ];
}

export function storeRow(s: StoreRecord, time: TimeParam = asMs): unknown[] {
  return [s.lineId, time(s.ts), s.host, s.user, s.session, s.messageId, s.folder];
}

export function trainingRow(
  t: ResolvedTraining,
  journeyId: number | null,
  time: TimeParam = asMs,
): unknown[] {
  return [
    t.key,
    time(t.ts),
    t.host,
    t.login,
    t.filter,
    t.filterUser,
    t.classifiedUser,
    t.signature,
    t.messageId,
    journeyId,
    t.direction,
    t.outcome,
    t.reason,
    t.fromMailbox,
    t.toMailbox,
    json(t.lines),
  ];
}

/** Writes journeys, classifications and trainings as lib/correlate/resolve.ts decided them. */
export class JourneyWriter {
  private readonly insertJourney;
  private readonly upsertJourney;
  private readonly journeyIdByKey;
  private readonly deleteJourney;
  private readonly deleteChildren;
  private readonly releaseVerdicts;
  private readonly insertQueue;
  private readonly insertHost;
  private readonly insertDelivery;
  private readonly insertVerdict;
  private readonly upsertTraining;
  private readonly deleteTraining;
  private readonly insertStore;

  /** `words`: keeps the search words itself, the search triggers being dropped (a write thread's import). */
  constructor(
    db: Db,
    private readonly words?: SearchWordsKeeper,
  ) {
    this.insertJourney = db.prepare(JOURNEY_SQL.insertJourney);
    this.upsertJourney = db.prepare(JOURNEY_SQL.upsertJourney);
    this.journeyIdByKey = db.prepare(JOURNEY_SQL.journeyIdByKey).pluck();
    this.deleteJourney = db.prepare(JOURNEY_SQL.deleteJourney);
    this.deleteChildren = JOURNEY_SQL.deleteChildren.map((sql) => db.prepare(sql));
    this.insertHost = db.prepare(JOURNEY_SQL.insertHost);
    this.releaseVerdicts = db.prepare(JOURNEY_SQL.releaseVerdicts);
    this.insertQueue = db.prepare(JOURNEY_SQL.insertQueue);
    this.insertDelivery = db.prepare(JOURNEY_SQL.insertDelivery);
    this.insertVerdict = db.prepare(JOURNEY_SQL.insertVerdict);
    this.insertStore = db.prepare(JOURNEY_SQL.insertStore);
    this.upsertTraining = db.prepare(JOURNEY_SQL.upsertTraining);
    this.deleteTraining = db.prepare(JOURNEY_SQL.deleteTraining);
  }

  apply(write: StoreWrite): void {
    switch (write.type) {
      case "journey":
        this.writeJourney(write.journey, write.replaces);
        break;
      case "drop-journey": {
        const id = this.journeyId(write.key);
        if (id === undefined) break;
        this.words?.forget(id);
        this.words?.dropped(id);
        this.releaseVerdicts.run(id);
        this.deleteJourney.run(id);
        break;
      }
      case "verdict":
        this.writeVerdict(null, write.verdict);
        break;
      case "store":
        this.insertStore.run(storeRow(write.store));
        break;
      case "training":
        if (write.replaces !== undefined) this.deleteTraining.run(write.replaces);
        this.writeTraining(write.training);
        break;
    }
  }

  private journeyId(key: string): number | undefined {
    return this.journeyIdByKey.get(key) as number | undefined;
  }

  private writeJourney(journey: JourneyRecord, replaces: boolean): void {
    if (replaces) {
      const existing = this.journeyId(journey.key);
      if (existing !== undefined) {
        this.words?.forget(existing);
        this.releaseVerdicts.run(existing);
        for (const statement of this.deleteChildren) statement.run(existing);
      }
    }
    const { id } = (replaces ? this.upsertJourney : this.insertJourney).get(journeyRow(journey)) as {
      id: number;
    };
    journey.queues.forEach((q, position) => {
      this.insertQueue.run(queueRow(id, position, q));
    });
    for (const d of journey.deliveries) this.insertDelivery.run(deliveryRow(id, d));
    for (const verdict of journey.verdicts) this.writeVerdict(id, verdict);
    for (const host of journey.hosts) this.insertHost.run(id, host);
    this.words?.written(id);
  }

  private writeVerdict(journeyId: number | null, v: VerdictRecord): void {
    this.insertVerdict.run(verdictRow(journeyId, v));
  }

  private writeTraining(t: ResolvedTraining): void {
    const journeyId = t.journeyKey === null ? null : (this.journeyId(t.journeyKey) ?? null);
    this.upsertTraining.run(trainingRow(t, journeyId));
  }
}
