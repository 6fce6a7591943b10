import Database from "better-sqlite3";
import type pg from "pg";
import type { CorrelatorOutput, JourneyRecord, StoreRecord } from "../../core/journey.ts";
import { baseSession } from "../../correlate/mailbox.ts";
import type { CorrelationLookup, StoreWrite } from "../../correlate/resolve.ts";
import type { Db } from "../../db/connection.ts";
import { migrate } from "../../db/migrate.ts";
import { SqliteCorrelationLookup } from "../correlation-lookup.ts";
import { toVerdict } from "../journey-reader.ts";
import { JourneyWriter } from "../journey-writer.ts";
import { readJourneysPostgres, readTrainingsPostgres, VERDICT_SELECT } from "./journey-reader.ts";
import { epochMs } from "./sql.ts";

const TABLES = ["Training", "Verdict", "Delivery", "JourneyQueue", "JourneyHost", "DovecotStore", "Journey"];

/**
 * lib/correlate/resolve.ts asks its questions synchronously, one output at a time; PostgreSQL
 * answers asynchronously. Before a batch is resolved, the rows it can ask about (journeys of its
 * keys, Message-IDs, queue ids and LMTP sessions, Dovecot's stores, classifications and trainings
 * of its signatures, and the journeys those belong to) are copied into a scratch SQLite database in memory, and SQLite's own lookup and
 * journey writer answer from there and keep up with each write: the decisions are those of
 * SqliteCorrelationLookup, with no second implementation of them.
 */
export class MirroredLookup {
  private readonly scratch: Db;
  private readonly writer: JourneyWriter;
  readonly lookup: CorrelationLookup;

  constructor() {
    this.scratch = new Database(":memory:");
    this.scratch.pragma("foreign_keys = ON");
    migrate(this.scratch);
    // The message search's word tables are kept by triggers: of no use in a scratch copy.
    const triggers = this.scratch
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'trigger'`)
      .pluck()
      .all();
    for (const name of triggers as string[]) this.scratch.exec(`DROP TRIGGER "${name}"`);
    this.writer = new JourneyWriter(this.scratch);
    this.lookup = new SqliteCorrelationLookup(this.scratch);
  }

  /** Copies what the outputs can ask about from PostgreSQL (inside the batch's transaction). */
  async load(client: pg.ClientBase, outputs: readonly CorrelatorOutput[]): Promise<void> {
    const keys = new Set<string>();
    const messageIds = new Set<string>();
    const signatures = new Set<string>();
    // Relayed halves (journeysByQueue), Dovecot's stores and their deliveries (storesFor, journeyBySession).
    const queueIds = new Set<string>();
    const sessions = new Set<string>();
    const journey = (j: JourneyRecord) => {
      keys.add(j.key);
      if (j.messageId) messageIds.add(j.messageId);
      for (const v of j.verdicts) if (v.signature) signatures.add(v.signature);
      for (const q of j.queues) queueIds.add(q.queueId);
      for (const d of j.deliveries) {
        if (d.queuedAs) queueIds.add(d.queuedAs);
        if (d.session) sessions.add(d.session);
      }
    };
    for (const output of outputs) {
      if (output.type === "journey") journey(output.journey);
      else if (output.type === "drop-journey") keys.add(output.key);
      else if (output.type === "training") {
        if (output.training.signature) signatures.add(output.training.signature);
        if (output.training.messageId) messageIds.add(output.training.messageId);
      } else if (output.type === "orphan-store") {
        if (output.store.messageId) messageIds.add(output.store.messageId);
        if (output.store.session) {
          sessions.add(output.store.session);
          sessions.add(baseSession(output.store.session));
        }
      } else {
        if (output.verdict.messageId) messageIds.add(output.verdict.messageId);
        if (output.verdict.signature) signatures.add(output.verdict.signature);
      }
    }
    this.clear();
    if (keys.size + messageIds.size + signatures.size + queueIds.size + sessions.size === 0) return;

    const verdicts = (
      await client.query<Record<string, unknown>>(
        `SELECT ${VERDICT_SELECT} FROM "Verdict" v WHERE v."messageId" = ANY($1::text[]) OR v."signature" = ANY($2::text[])
         ORDER BY v."id"`,
        [[...messageIds], [...signatures]],
      )
    ).rows;
    const claiming = new Set<number>();
    for (const v of verdicts) {
      if (v.signature !== null) signatures.add(String(v.signature));
      if (v.journeyId !== null) claiming.add(Number(v.journeyId));
    }
    const related = `j."key" = ANY($1::text[]) OR j."messageId" = ANY($2::text[]) OR j."id" = ANY($3::int[])
      OR j."id" IN (SELECT "journeyId" FROM "JourneyQueue" WHERE "queueId" = ANY($4::text[]))
      OR j."id" IN (SELECT "journeyId" FROM "Delivery" WHERE "queuedAs" = ANY($4::text[]) OR "session" = ANY($5::text[]))`;
    const first = await readJourneysPostgres(client, related, [
      [...keys],
      [...messageIds],
      [...claiming],
      [...queueIds],
      [...sessions],
    ]);
    // A message may cross several servers: the halves found name the next ones.
    const found = new Set(first.map((j) => j.id));
    const nextQueues = new Set<string>();
    for (const { journey: j } of first) {
      for (const q of j.queues) if (!queueIds.has(q.queueId)) nextQueues.add(q.queueId);
      for (const d of j.deliveries) if (d.queuedAs && !queueIds.has(d.queuedAs)) nextQueues.add(d.queuedAs);
    }
    const second =
      nextQueues.size > 0
        ? (await readJourneysPostgres(client, related, [[], [], [], [...nextQueues], []])).filter(
            (j) => !found.has(j.id),
          )
        : [];
    const journeys = [...first, ...second];
    const stores = await client.query<Record<string, unknown>>(
      `SELECT *, ${epochMs(`"ts"`, "ts")} FROM "DovecotStore" WHERE "session" = ANY($1::text[]) OR "messageId" = ANY($2::text[])
       ORDER BY "lineId"`,
      [[...sessions], [...messageIds]],
    );
    for (const { journey: j } of journeys)
      for (const v of j.verdicts) if (v.signature) signatures.add(v.signature);
    const trainings = await readTrainingsPostgres(client, `t."signature" = ANY($1::text[])`, [
      [...signatures],
    ]);
    const loaded = new Set(journeys.map((j) => j.id));
    const missing = trainings
      .map((t) => t.journeyId)
      .filter((id): id is number => id !== null && !loaded.has(id));
    const more =
      missing.length > 0 ? await readJourneysPostgres(client, `j."id" = ANY($1::int[])`, [missing]) : [];

    for (const { journey: j } of [...journeys, ...more].sort((a, b) => a.id - b.id))
      this.writer.apply({ type: "journey", journey: j, replaces: false });
    for (const v of verdicts)
      if (v.journeyId === null) this.writer.apply({ type: "verdict", verdict: toVerdict(v) });
    for (const { journeyId: _, ...training } of trainings) this.writer.apply({ type: "training", training });
    for (const row of stores.rows) this.writer.apply({ type: "store", store: toStore(row) });
  }

  /** A write decided: the copy keeps up with it, so that the next question sees it. */
  apply(write: StoreWrite): void {
    this.writer.apply(write);
  }

  private clear(): void {
    for (const table of TABLES) this.scratch.exec(`DELETE FROM "${table}"`);
  }

  close(): void {
    this.scratch.close();
  }
}

function toStore(row: Record<string, unknown>): StoreRecord {
  const text = (v: unknown) => (v === null || v === undefined ? null : String(v));
  return {
    ts: Number(row.ts),
    host: text(row.host),
    user: String(row.user),
    session: text(row.session),
    messageId: text(row.messageId),
    folder: String(row.folder),
    lineId: Number(row.lineId),
  };
}
