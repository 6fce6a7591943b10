import type { DeliveryRecord, JourneyRecord, VerdictRecord } from "../core/journey.ts";
import type { ResolvedTraining, StoreWrite } from "../correlate/resolve.ts";
import type { Db } from "../db/connection.ts";

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

const JOURNEY_COLUMNS = `key, host, messageId, firstTs, lastTs, complete, inProgress, origin, service, clientName,
  clientIp, saslUsername, sender, size, subject, parentKey, parentRelation, filtered, verdict, delivered, lines, recipientSort`;
const JOURNEY_VALUES = `?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?`;

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
  private readonly insertStore;

  constructor(db: Db) {
    this.insertJourney = db.prepare(
      `INSERT INTO Journey (${JOURNEY_COLUMNS}) VALUES (${JOURNEY_VALUES}) RETURNING id`,
    );
    this.upsertJourney = db.prepare(
      `INSERT INTO Journey (${JOURNEY_COLUMNS}) VALUES (${JOURNEY_VALUES})
       ON CONFLICT (key) DO UPDATE SET host = excluded.host, messageId = excluded.messageId, firstTs = excluded.firstTs,
         lastTs = excluded.lastTs, complete = excluded.complete, inProgress = excluded.inProgress,
         origin = excluded.origin, service = excluded.service,
         clientName = excluded.clientName, clientIp = excluded.clientIp, saslUsername = excluded.saslUsername,
         sender = excluded.sender, size = excluded.size, subject = excluded.subject, parentKey = excluded.parentKey,
         parentRelation = excluded.parentRelation, filtered = excluded.filtered, verdict = excluded.verdict,
         delivered = excluded.delivered, lines = excluded.lines, recipientSort = excluded.recipientSort
       RETURNING id`,
    );
    this.journeyIdByKey = db.prepare(`SELECT id FROM Journey WHERE key = ?`).pluck();
    this.deleteJourney = db.prepare(`DELETE FROM Journey WHERE id = ?`);
    this.deleteChildren = [
      db.prepare(`DELETE FROM JourneyQueue WHERE journeyId = ?`),
      db.prepare(`DELETE FROM Delivery WHERE journeyId = ?`),
      db.prepare(`DELETE FROM JourneyHost WHERE journeyId = ?`),
    ];
    this.insertHost = db.prepare(`INSERT INTO JourneyHost (journeyId, host) VALUES (?, ?)`);
    // Classifications are never deleted with their journey: released, they are claimed again by
    // the journey's new version (or the journey it was merged into).
    this.releaseVerdicts = db.prepare(
      `UPDATE Verdict SET journeyId = NULL, queueId = NULL WHERE journeyId = ?`,
    );
    this.insertQueue = db.prepare(
      `INSERT INTO JourneyQueue (journeyId, position, host, queueId, firstTs, lastTs, via, service, clientName, clientIp,
         saslMethod, saslUsername, pickupUid, sender, size, nrcpt, messageId, receivedFor, closed, parentQueueId,
         linkRule, linkConfidence, linkRecipient, actions)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
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
    this.insertStore = db.prepare(
      `INSERT INTO DovecotStore (lineId, ts, host, user, session, messageId, folder) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (lineId) DO NOTHING`,
    );
    // A training written again carries what its run saw: the IMAP host's run knows the login and
    // the folders, the filter host's run DSPAM's answer; neither forgets what the other stored.
    this.upsertTraining = db.prepare(
      `INSERT INTO Training (key, ts, host, login, dspamUser, classifiedUser, signature, messageId, journeyId,
         direction, outcome, reason, fromMailbox, toMailbox, lines)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (key) DO UPDATE SET direction = excluded.direction,
         login = coalesce(excluded.login, Training.login), dspamUser = excluded.dspamUser,
         classifiedUser = excluded.classifiedUser, messageId = excluded.messageId, journeyId = excluded.journeyId,
         outcome = CASE WHEN excluded.outcome = 'unknown' THEN Training.outcome ELSE excluded.outcome END,
         reason = CASE WHEN excluded.outcome = 'unknown' THEN Training.reason ELSE excluded.reason END,
         host = coalesce(excluded.host, Training.host),
         fromMailbox = coalesce(excluded.fromMailbox, Training.fromMailbox),
         toMailbox = coalesce(excluded.toMailbox, Training.toMailbox), lines = excluded.lines`,
    );
  }

  apply(write: StoreWrite): void {
    switch (write.type) {
      case "journey":
        this.writeJourney(write.journey, write.replaces);
        break;
      case "drop-journey": {
        const id = this.journeyId(write.key);
        if (id === undefined) break;
        this.releaseVerdicts.run(id);
        this.deleteJourney.run(id);
        break;
      }
      case "verdict":
        this.writeVerdict(null, write.verdict);
        break;
      case "store": {
        const s = write.store;
        this.insertStore.run(s.lineId, s.ts, s.host, s.user, s.session, s.messageId, s.folder);
        break;
      }
      case "training":
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
        this.releaseVerdicts.run(existing);
        for (const statement of this.deleteChildren) statement.run(existing);
      }
    }
    const { id } = (replaces ? this.upsertJourney : this.insertJourney).get(
      journey.key,
      journey.host,
      journey.messageId,
      journey.firstTs,
      journey.lastTs,
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
      journey.deliveries.some((d) => d.destination === "filter") ? 1 : 0,
      verdictSummary(journey),
      journey.deliveries.filter((d) => isFinal(d) && d.status === "sent").length,
      json(journey.lines.map((l) => [l.lineId, l.hop])),
      recipientSort(journey),
    ) as { id: number };
    journey.queues.forEach((q, position) => {
      this.insertQueue.run(
        id,
        position,
        q.host,
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
    for (const host of journey.hosts) this.insertHost.run(id, host);
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
  }

  private writeTraining(t: ResolvedTraining): void {
    this.upsertTraining.run(
      t.key,
      t.ts,
      t.host,
      t.login,
      t.dspamUser,
      t.classifiedUser,
      t.signature,
      t.messageId,
      t.journeyKey === null ? null : (this.journeyId(t.journeyKey) ?? null),
      t.direction,
      t.outcome,
      t.reason,
      t.fromMailbox,
      t.toMailbox,
      json(t.lines),
    );
  }
}
