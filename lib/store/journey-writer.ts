import type {
  CorrelatorOutput,
  DeliveryRecord,
  JourneyRecord,
  TrainingRecord,
  VerdictRecord,
} from "../core/journey.ts";
import { assignVerdicts } from "../correlate/assign-verdicts.ts";
import { DEFAULTS } from "../correlate/context.ts";
import type { Db } from "../db/connection.ts";
import { readJourney, type StoredTraining, toStoredTraining, toVerdict } from "./journey-reader.ts";

export type { StoredTraining } from "./journey-reader.ts";

export type WrittenOutputs = {
  journeys: JourneyRecord[];
  trainings: StoredTraining[];
  droppedJourneys: string[];
};

const json = (value: unknown) => JSON.stringify(value);

function verdictSummary(journey: JourneyRecord): string | null {
  const classes = journey.verdicts.map((v) => v.className);
  if (classes.length === 0) return null;
  if (
    classes.includes("spam") ||
    classes.includes("virus") ||
    classes.includes("blacklisted") ||
    classes.includes("blocklisted")
  ) {
    return "spam";
  }
  return "innocent";
}

const isFinal = (d: DeliveryRecord) => d.destination === "mailbox" || d.destination === "external";

/** Writes what the correlator hands out; replaces a journey's rows when it is handed out again. */
export class JourneyWriter {
  private readonly upsertJourney;
  private readonly insertJourney;
  private readonly journeyIdByKey;
  private readonly deleteJourney;
  private readonly deleteChildren;
  private readonly insertQueue;
  private readonly insertDelivery;
  private readonly insertVerdict;
  private readonly upsertTraining;
  private readonly verdictForSignature;
  private readonly backfillTrainings;
  private readonly detachVerdicts;
  private readonly orphansFor;
  private readonly journeyForVerdict;
  private readonly backfilled = new Map<string, StoredTraining>();

  constructor(private readonly db: Db) {
    this.upsertJourney = db.prepare(
      `INSERT INTO Journey (key, host, messageId, firstTs, lastTs, complete, inProgress, origin, service, clientName,
         clientIp, saslUsername, sender, size, subject, parentKey, parentRelation, filtered, verdict, delivered, lines)
       VALUES (@key, @host, @messageId, @firstTs, @lastTs, @complete, @inProgress, @origin, @service, @clientName,
         @clientIp, @saslUsername, @sender, @size, @subject, @parentKey, @parentRelation, @filtered, @verdict,
         @delivered, @lines)
       ON CONFLICT (key) DO UPDATE SET host = excluded.host, messageId = excluded.messageId, firstTs = excluded.firstTs,
         lastTs = excluded.lastTs, complete = excluded.complete, inProgress = excluded.inProgress,
         origin = excluded.origin, service = excluded.service,
         clientName = excluded.clientName, clientIp = excluded.clientIp, saslUsername = excluded.saslUsername,
         sender = excluded.sender, size = excluded.size, subject = excluded.subject, parentKey = excluded.parentKey,
         parentRelation = excluded.parentRelation, filtered = excluded.filtered, verdict = excluded.verdict,
         delivered = excluded.delivered, lines = excluded.lines
       RETURNING id`,
    );
    this.journeyIdByKey = db.prepare(`SELECT id FROM Journey WHERE key = ?`);
    this.insertJourney = db.prepare(
      `INSERT OR IGNORE INTO Journey (key, host, messageId, firstTs, lastTs, complete, inProgress, origin, service,
         clientName, clientIp, saslUsername, sender, size, subject, parentKey, parentRelation, filtered, verdict,
         delivered, lines)
       VALUES (@key, @host, @messageId, @firstTs, @lastTs, @complete, @inProgress, @origin, @service, @clientName,
         @clientIp, @saslUsername, @sender, @size, @subject, @parentKey, @parentRelation, @filtered, @verdict,
         @delivered, @lines)
       RETURNING id`,
    );
    this.deleteJourney = db.prepare(`DELETE FROM Journey WHERE key = ?`);
    this.deleteChildren = [
      db.prepare(`DELETE FROM JourneyQueue WHERE journeyId = ?`),
      db.prepare(`DELETE FROM Delivery WHERE journeyId = ?`),
    ];
    // Verdicts are never deleted with their journey: detached, they are claimed again by the
    // journey's new version (or the journey it was merged into).
    this.detachVerdicts = db.prepare(
      `UPDATE Verdict SET journeyId = NULL, queueId = NULL WHERE journeyId = ?`,
    );
    this.orphansFor = db.prepare(
      `SELECT * FROM Verdict WHERE journeyId IS NULL AND messageId = ? AND ts >= ? AND ts <= ? ORDER BY ts, lineId`,
    );
    this.journeyForVerdict = db.prepare(
      `SELECT id FROM Journey WHERE messageId = ? AND firstTs <= ? AND lastTs >= ? ORDER BY abs(firstTs - ?) LIMIT 1`,
    );
    this.insertQueue = db.prepare(
      `INSERT INTO JourneyQueue (journeyId, position, queueId, firstTs, lastTs, via, service, clientName, clientIp,
         saslMethod, saslUsername, pickupUid, sender, size, nrcpt, messageId, receivedFor, closed, parentQueueId,
         linkRule, linkConfidence, linkRecipient, actions)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertDelivery = db.prepare(
      `INSERT INTO Delivery (journeyId, queueId, ts, recipient, origRecipient, relay, agent, status, dsn, reply,
         destination, filter, session, queuedAs, forwardedAs, mailboxUser, folder, folderMatch, verdictUser,
         verdictClass, verdictSignature, lineId)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.insertVerdict = db.prepare(
      `INSERT INTO Verdict (journeyId, ts, dspamUser, dspamClass, className, signature, status, "from", subject,
         messageId, queueId, lineId)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (lineId) DO UPDATE SET journeyId = excluded.journeyId, queueId = excluded.queueId`,
    );
    this.upsertTraining = db.prepare(
      `INSERT INTO Training (key, ts, host, login, dspamUser, classifiedUser, signature, messageId, journeyId,
         direction, outcome, reason, fromMailbox, toMailbox, lines)
       VALUES (@key, @ts, @host, @login, @dspamUser, @classifiedUser, @signature, @messageId, @journeyId,
         @direction, @outcome, @reason, @fromMailbox, @toMailbox, @lines)
       ON CONFLICT (key) DO UPDATE SET login = excluded.login, dspamUser = excluded.dspamUser,
         classifiedUser = excluded.classifiedUser, messageId = excluded.messageId, journeyId = excluded.journeyId,
         outcome = excluded.outcome, reason = excluded.reason, fromMailbox = excluded.fromMailbox,
         toMailbox = excluded.toMailbox, lines = excluded.lines`,
    );
    this.verdictForSignature = db.prepare(
      `SELECT dspamUser, journeyId, messageId FROM Verdict WHERE signature = ? ORDER BY ts DESC LIMIT 1`,
    );
    // A verdict written after the training it explains (its file was ingested later).
    this.backfillTrainings = db.prepare(
      `UPDATE Training SET classifiedUser = ?, journeyId = ?, messageId = coalesce(messageId, ?)
       WHERE signature = ? AND (classifiedUser IS NULL OR journeyId IS NULL)
       RETURNING *`,
    );
  }

  /** Applies the correlator's outputs in order; returns what was written, for the detectors. */
  apply(outputs: readonly CorrelatorOutput[]): WrittenOutputs {
    const written: WrittenOutputs = { journeys: [], trainings: [], droppedJourneys: [] };
    this.backfilled.clear();
    for (const output of outputs) {
      switch (output.type) {
        case "journey":
          written.journeys.push(this.writeJourney(output.journey, output.replaces));
          break;
        case "drop-journey": {
          const id = this.journeyId(output.key);
          if (id !== undefined) this.detachVerdicts.run(id);
          this.deleteJourney.run(output.key);
          written.droppedJourneys.push(output.key);
          break;
        }
        case "training":
          written.trainings.push(this.writeTraining(output.training));
          break;
        case "orphan-verdict": {
          this.writeVerdict(null, output.verdict);
          const late = this.lateJoin(output.verdict);
          if (late) written.journeys.push(late);
          break;
        }
      }
    }
    // Trainings that learnt who classified their message: the detectors see them again.
    for (const training of this.backfilled.values()) {
      if (!written.trainings.some((t) => t.key === training.key)) written.trainings.push(training);
    }
    return written;
  }

  // A classification whose journey the correlator had already let go (its file was ingested in
  // a later run): the stored journey is read back and written again with it.
  private lateJoin(verdict: VerdictRecord): JourneyRecord | undefined {
    if (!verdict.messageId) return undefined;
    const window = DEFAULTS.joinWindowMs;
    const row = this.journeyForVerdict.get(
      verdict.messageId,
      verdict.ts + window,
      verdict.ts - window,
      verdict.ts,
    ) as { id: number } | undefined;
    const stored = row ? readJourney(this.db, row.id) : undefined;
    return stored ? this.writeJourney(stored, true) : undefined;
  }

  // Adds the stored classifications of this message that no journey has (written before it).
  private withOrphanVerdicts(journey: JourneyRecord): JourneyRecord {
    if (!journey.messageId) return journey;
    const window = DEFAULTS.joinWindowMs;
    const orphans = (
      this.orphansFor.all(journey.messageId, journey.firstTs - window, journey.lastTs + window) as Record<
        string,
        unknown
      >[]
    )
      .map(toVerdict)
      .filter((v) => !journey.verdicts.some((own) => own.lineId === v.lineId));
    if (orphans.length === 0) return journey;
    const { verdicts, deliveries } = assignVerdicts(
      journey.queues,
      [...journey.verdicts, ...orphans],
      journey.deliveries,
    );
    return {
      ...journey,
      verdicts,
      deliveries,
      subject: journey.subject ?? verdicts.find((v) => v.subject)?.subject ?? null,
    };
  }

  private writeJourney(handedOut: JourneyRecord, replaces: boolean): JourneyRecord {
    if (replaces) {
      const existing = this.journeyId(handedOut.key);
      if (existing !== undefined) this.detachVerdicts.run(existing);
    }
    const journey = this.withOrphanVerdicts(handedOut);
    const row = (replaces ? this.upsertJourney : this.insertJourney).get({
      key: journey.key,
      host: journey.host,
      messageId: journey.messageId,
      firstTs: journey.firstTs,
      lastTs: journey.lastTs,
      complete: journey.complete ? 1 : 0,
      inProgress: journey.inProgress ? 1 : 0,
      origin: journey.origin,
      service: journey.service,
      clientName: journey.clientName,
      clientIp: journey.clientIp,
      saslUsername: journey.saslUsername,
      sender: journey.sender,
      size: journey.size,
      subject: journey.subject,
      parentKey: journey.parent?.key ?? null,
      parentRelation: journey.parent?.relation ?? null,
      filtered: journey.deliveries.some((d) => d.destination === "filter") ? 1 : 0,
      verdict: verdictSummary(journey),
      delivered: journey.deliveries.filter((d) => isFinal(d) && d.status === "sent").length,
      lines: json(journey.lines.map((l) => [l.lineId, l.hop])),
    }) as { id: number } | undefined;
    // Handed out for the first time, the journey is normally new; if the store has it anyway (the
    // correlator's state was lost), it is replaced like any journey handed out again.
    if (!row) return this.writeJourney(handedOut, true);
    const id = row.id;
    if (replaces) for (const statement of this.deleteChildren) statement.run(id);
    journey.queues.forEach((q, position) => {
      this.insertQueue.run(
        id,
        position,
        q.queueId,
        q.firstTs,
        q.lastTs,
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
      );
    });
    for (const d of journey.deliveries) {
      this.insertDelivery.run(
        id,
        d.queueId,
        d.ts,
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
        d.verdict?.dspamUser ?? null,
        d.verdict?.className ?? null,
        d.verdict?.signature ?? null,
        d.lineId,
      );
    }
    for (const verdict of journey.verdicts) this.writeVerdict(id, verdict);
    return journey;
  }

  private writeVerdict(journeyId: number | null, v: VerdictRecord): void {
    this.insertVerdict.run(
      journeyId,
      v.ts,
      v.dspamUser,
      v.dspamClass,
      v.className,
      v.signature,
      v.status,
      v.from,
      v.subject,
      v.messageId,
      v.queueId,
      v.lineId,
    );
    if (!v.signature) return;
    for (const row of this.backfillTrainings.all(v.dspamUser, journeyId, v.messageId, v.signature) as Record<
      string,
      unknown
    >[]) {
      this.backfilled.set(String(row.key), toStoredTraining(row));
    }
  }

  private writeTraining(training: TrainingRecord): StoredTraining {
    const verdict = training.signature
      ? (this.verdictForSignature.get(training.signature) as
          | { dspamUser: string; journeyId: number | null; messageId: string | null }
          | undefined)
      : undefined;
    const stored: StoredTraining = {
      ...training,
      classifiedUser: verdict?.dspamUser ?? training.classifiedUser,
      messageId: training.messageId ?? verdict?.messageId ?? null,
      journeyId: verdict?.journeyId ?? null,
    };
    this.upsertTraining.run({ ...stored, lines: json(stored.lines) });
    return stored;
  }

  /** The id of a stored journey. */
  journeyId(key: string): number | undefined {
    return (this.journeyIdByKey.get(key) as { id: number } | undefined)?.id;
  }
}
