import type {
  DeliveryRecord,
  JourneyRecord,
  LinkConfidence,
  LinkRule,
  Origin,
  QueueRecord,
  TrainingRecord,
  VerdictRecord,
} from "../core/journey.ts";
import type { Db } from "../db/connection.ts";
import { prepared } from "../db/prepared.ts";
import type { FilterName } from "../filters/verdict.ts";

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

/** Reads a stored journey back as the correlator's record (to change it after the correlator let it go). */
export function readJourney(db: Db, id: number): JourneyRecord | undefined {
  const j = prepared(db, `SELECT * FROM Journey WHERE id = ?`).get(id) as Row | undefined;
  if (!j) return undefined;
  return journeyFromRows(
    j,
    prepared(db, `SELECT * FROM JourneyQueue WHERE journeyId = ? ORDER BY position`).all(id) as Row[],
    prepared(db, `SELECT * FROM Delivery WHERE journeyId = ? ORDER BY ts, lineId`).all(id) as Row[],
    prepared(db, `SELECT * FROM Verdict WHERE journeyId = ? ORDER BY ts, lineId`).all(id) as Row[],
    prepared(db, `SELECT host FROM JourneyHost WHERE journeyId = ? ORDER BY host`)
      .pluck()
      .all(id) as string[],
  );
}

/**
 * A journey's rows (times as epoch ms; its queues by position, deliveries and verdicts by time and
 * line, its hosts in order) as the correlator's record: for SQLite above and PostgreSQL (lib/store/postgres/journey-reader.ts).
 */
export function journeyFromRows(
  j: Row,
  queueRows: Row[],
  deliveryRows: Row[],
  verdictRows: Row[],
  hosts: string[],
): JourneyRecord {
  const queues = queueRows.map(
    (q): QueueRecord => ({
      host: str(q.host),
      queueId: String(q.queueId),
      firstTs: Number(q.firstTs),
      lastTs: Number(q.lastTs),
      via: q.via as QueueRecord["via"],
      service: str(q.service),
      clientName: str(q.clientName),
      clientIp: str(q.clientIp),
      saslMethod: str(q.saslMethod),
      saslUsername: str(q.saslUsername),
      pickupUid: num(q.pickupUid),
      sender: str(q.sender),
      size: num(q.size),
      nrcpt: num(q.nrcpt),
      messageId: str(q.messageId),
      receivedFor: str(q.receivedFor),
      closed: str(q.closed) as QueueRecord["closed"],
      parent: q.parentQueueId
        ? {
            queueId: String(q.parentQueueId),
            rule: q.linkRule as LinkRule,
            confidence: q.linkConfidence as LinkConfidence,
            recipient: str(q.linkRecipient),
          }
        : null,
      actions: JSON.parse(String(q.actions)) as string[],
    }),
  );
  const deliveries = deliveryRows.map(
    (d): DeliveryRecord => ({
      queueId: String(d.queueId),
      ts: Number(d.ts),
      recipient: String(d.recipient),
      origRecipient: str(d.origRecipient),
      relay: String(d.relay),
      agent: String(d.agent),
      status: String(d.status),
      dsn: String(d.dsn),
      reply: String(d.reply),
      destination: d.destination as DeliveryRecord["destination"],
      filter: str(d.filter),
      session: str(d.session),
      queuedAs: str(d.queuedAs),
      forwardedAs: str(d.forwardedAs),
      mailbox: d.folder
        ? {
            user: String(d.mailboxUser),
            folder: String(d.folder),
            match: d.folderMatch as "lmtp-session" | "message-id",
          }
        : null,
      verdict: d.verdictClass
        ? {
            filter: d.verdictFilter as FilterName,
            filterUser: str(d.verdictUser),
            result: String(d.verdictClass),
            signature: str(d.verdictSignature),
          }
        : null,
      lineId: Number(d.lineId),
    }),
  );
  const verdicts = verdictRows.map(toVerdict);
  return {
    key: String(j.key),
    host: str(j.host),
    hosts,
    messageId: str(j.messageId),
    firstTs: Number(j.firstTs),
    lastTs: Number(j.lastTs),
    // 0/1 on SQLite, booleans on PostgreSQL.
    complete: Number(j.complete) === 1,
    inProgress: Number(j.inProgress) === 1,
    origin: j.origin as Origin,
    service: str(j.service),
    clientName: str(j.clientName),
    clientIp: str(j.clientIp),
    saslUsername: str(j.saslUsername),
    sender: str(j.sender),
    size: num(j.size),
    subject: str(j.subject),
    queues,
    deliveries,
    verdicts,
    parent: j.parentKey
      ? { key: String(j.parentKey), relation: j.parentRelation as "bounce" | "forward" }
      : null,
    lines: (JSON.parse(String(j.lines)) as [number, string][]).map(([lineId, hop]) => ({ lineId, hop })),
  };
}

/** The training as stored: with the classifying user and journey the store resolved from the signature. */
export type StoredTraining = TrainingRecord & { journeyId: number | null };

/** A Training row as the record the detectors take. */
export function toStoredTraining(row: Record<string, unknown>): StoredTraining {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    key: String(row.key),
    ts: Number(row.ts),
    host: text(row.host),
    login: text(row.login),
    filter: row.filter as FilterName,
    filterUser: text(row.filterUser),
    classifiedUser: text(row.classifiedUser),
    signature: text(row.signature),
    messageId: text(row.messageId),
    direction: row.direction as StoredTraining["direction"],
    outcome: row.outcome as StoredTraining["outcome"],
    reason: text(row.reason),
    fromMailbox: text(row.fromMailbox),
    toMailbox: text(row.toMailbox),
    lines: JSON.parse(String(row.lines)) as number[],
    journeyId: row.journeyId === null ? null : Number(row.journeyId),
  };
}

/** Every stored retraining, oldest first (to detect again what they show). */
export function readTrainings(db: Db): StoredTraining[] {
  return (db.prepare(`SELECT * FROM Training ORDER BY ts, id`).all() as Row[]).map(toStoredTraining);
}

export function toVerdict(v: Row): VerdictRecord {
  return {
    ts: Number(v.ts),
    filter: v.filter as FilterName,
    filterUser: str(v.filterUser),
    result: String(v.result),
    action: str(v.action),
    score: num(v.score),
    signature: str(v.signature),
    status: String(v.status),
    from: str(v.from),
    subject: str(v.subject),
    messageId: str(v.messageId),
    queueId: str(v.queueId),
    lineId: Number(v.lineId),
  };
}
