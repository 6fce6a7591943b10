import type { JourneyRecord, StoreRecord, VerdictRecord } from "../core/journey.ts";
import type { CorrelationLookup, ResolvedTraining } from "../correlate/resolve.ts";
import type { Db } from "../db/connection.ts";
import { readJourney, toStoredTraining, toVerdict } from "./journey-reader.ts";

type Row = Record<string, unknown>;

/**
 * The write path's lookups, by what they find. Each must go through an index, also while a first
 * import has dropped the deferrable ones (lib/db/deferred-indexes.ts): a scan would be paid for every
 * output of every batch, growing with the database (tests/correlation-lookup.test.ts reads their plans).
 */
export const LOOKUP_SQL = {
  journeyByKey: `SELECT 1 FROM Journey WHERE key = ?`,
  unclaimed: `SELECT * FROM Verdict WHERE messageId = ? AND ts >= ? AND ts <= ?
      AND (journeyId IS NULL OR journeyId = (SELECT id FROM Journey WHERE key = ?))
    ORDER BY ts, lineId`,
  journeyNear: `SELECT id FROM Journey WHERE messageId = ? AND firstTs <= ? AND lastTs >= ? ORDER BY abs(firstTs - ?) LIMIT 1`,
  bySignature: `SELECT v.filterUser, v.messageId, j.key AS journeyKey FROM Verdict v LEFT JOIN Journey j ON j.id = v.journeyId
    WHERE v.signature = ? ORDER BY v.ts DESC LIMIT 1`,
  awaiting: `SELECT t.*, j.key AS journeyKey FROM Training t LEFT JOIN Journey j ON j.id = t.journeyId
    WHERE t.signature = ? AND (t.classifiedUser IS NULL OR t.journeyId IS NULL)`,
  ofSignature: `SELECT t.*, j.key AS journeyKey FROM Training t LEFT JOIN Journey j ON j.id = t.journeyId
    WHERE t.signature = ?`,
  bySession: `SELECT journeyId FROM Delivery WHERE session = ? LIMIT 1`,
  storesBySession: `SELECT * FROM DovecotStore WHERE session = ?`,
  storesByMessageId: `SELECT * FROM DovecotStore WHERE messageId = ? AND ts >= ? AND ts <= ? AND session IS NULL`,
  byQueue: `SELECT journeyId FROM JourneyQueue WHERE queueId = ? AND host <> ? AND firstTs >= ? AND firstTs <= ?
    UNION
    SELECT d.journeyId FROM Delivery d
      JOIN JourneyQueue q ON q.journeyId = d.journeyId AND q.queueId = d.queueId
    WHERE d.queuedAs = ? AND q.host <> ? AND d.ts >= ? AND d.ts <= ?`,
};

/** What lib/correlate/resolve.ts asks of the SQLite store. */
export class SqliteCorrelationLookup implements CorrelationLookup {
  private readonly journeyByKey;
  private readonly unclaimed;
  private readonly journeyNear;
  private readonly bySignature;
  private readonly awaiting;
  private readonly ofSignature;
  private readonly byQueue;
  private readonly bySession;
  private readonly storesBySession;
  private readonly storesByMessageId;

  constructor(private readonly db: Db) {
    this.journeyByKey = db.prepare(LOOKUP_SQL.journeyByKey).pluck();
    this.unclaimed = db.prepare(LOOKUP_SQL.unclaimed);
    this.journeyNear = db.prepare(LOOKUP_SQL.journeyNear).pluck();
    this.bySignature = db.prepare(LOOKUP_SQL.bySignature);
    this.awaiting = db.prepare(LOOKUP_SQL.awaiting);
    this.ofSignature = db.prepare(LOOKUP_SQL.ofSignature);
    this.bySession = db.prepare(LOOKUP_SQL.bySession).pluck();
    this.storesBySession = db.prepare(LOOKUP_SQL.storesBySession);
    this.storesByMessageId = db.prepare(LOOKUP_SQL.storesByMessageId);
    this.byQueue = db.prepare(LOOKUP_SQL.byQueue).pluck();
  }

  journeysByQueue(queueId: string, host: string, ts: number, windowMs: number): JourneyRecord[] {
    const ids = this.byQueue.all(
      queueId,
      host,
      ts - windowMs,
      ts + windowMs,
      queueId,
      host,
      ts - windowMs,
      ts + windowMs,
    ) as number[];
    return ids.flatMap((id) => readJourney(this.db, id) ?? []);
  }

  storesFor(sessions: readonly string[], messageId: string | null, from: number, to: number): StoreRecord[] {
    const rows = [
      ...sessions.flatMap((s) => this.storesBySession.all(s) as Row[]),
      ...(messageId ? (this.storesByMessageId.all(messageId, from, to) as Row[]) : []),
    ];
    return rows.map((r) => ({
      ts: Number(r.ts),
      host: r.host === null ? null : String(r.host),
      user: String(r.user),
      session: r.session === null ? null : String(r.session),
      messageId: r.messageId === null ? null : String(r.messageId),
      folder: String(r.folder),
      lineId: Number(r.lineId),
    }));
  }

  journeyBySession(session: string): JourneyRecord | undefined {
    const id = this.bySession.get(session) as number | undefined;
    return id === undefined ? undefined : readJourney(this.db, id);
  }

  hasJourney(key: string): boolean {
    return this.journeyByKey.get(key) !== undefined;
  }

  unclaimedVerdicts(messageId: string, from: number, to: number, claimedBy: string | null): VerdictRecord[] {
    return (this.unclaimed.all(messageId, from, to, claimedBy) as Row[]).map(toVerdict);
  }

  journeyAround(messageId: string, ts: number, windowMs: number): JourneyRecord | undefined {
    const id = this.journeyNear.get(messageId, ts + windowMs, ts - windowMs, ts) as number | undefined;
    return id === undefined ? undefined : readJourney(this.db, id);
  }

  verdictBySignature(signature: string) {
    return this.bySignature.get(signature) as
      | { filterUser: string | null; messageId: string | null; journeyKey: string | null }
      | undefined;
  }

  trainingsAwaitingVerdict(signature: string): ResolvedTraining[] {
    return (this.awaiting.all(signature) as Row[]).map(resolvedTraining);
  }

  trainingsOfSignature(signature: string): ResolvedTraining[] {
    return (this.ofSignature.all(signature) as Row[]).map(resolvedTraining);
  }
}

function resolvedTraining(row: Row): ResolvedTraining {
  const { journeyId: _, ...training } = toStoredTraining(row);
  return { ...training, journeyKey: row.journeyKey === null ? null : String(row.journeyKey) };
}
