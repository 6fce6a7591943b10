import type pg from "pg";
import type { JourneyRecord, VerdictRecord } from "../../core/journey.ts";
import type { ResolvedTraining, StoreWrite } from "../../correlate/resolve.ts";
import { forDialect } from "../../queries/dialect.ts";
import {
  deliveryRow,
  JOURNEY_SQL,
  journeyRow,
  queueRow,
  storeRow,
  trainingRow,
  verdictRow,
} from "../journey-writer.ts";
import { pgTime } from "./sql.ts";

const pgSql = (sql: string) => forDialect("postgresql", sql);
const SQL = {
  insertJourney: pgSql(JOURNEY_SQL.insertJourney),
  upsertJourney: pgSql(JOURNEY_SQL.upsertJourney),
  journeyIdByKey: pgSql(JOURNEY_SQL.journeyIdByKey),
  deleteJourney: pgSql(JOURNEY_SQL.deleteJourney),
  deleteChildren: JOURNEY_SQL.deleteChildren.map(pgSql),
  insertHost: pgSql(JOURNEY_SQL.insertHost),
  releaseVerdicts: pgSql(JOURNEY_SQL.releaseVerdicts),
  insertQueue: pgSql(JOURNEY_SQL.insertQueue),
  insertDelivery: pgSql(JOURNEY_SQL.insertDelivery),
  insertVerdict: pgSql(JOURNEY_SQL.insertVerdict),
  insertStore: pgSql(JOURNEY_SQL.insertStore),
  upsertTraining: pgSql(JOURNEY_SQL.upsertTraining),
};

/**
 * Writes journeys, classifications, Dovecot's stores and trainings on PostgreSQL as
 * lib/correlate/resolve.ts decided them: SQLite's JourneyWriter (lib/store/journey-writer.ts),
 * its statements and rows, awaited one after another.
 */
export class PostgresJourneyWriter {
  constructor(private readonly client: pg.ClientBase) {}

  async apply(write: StoreWrite): Promise<void> {
    switch (write.type) {
      case "journey":
        await this.writeJourney(write.journey, write.replaces);
        break;
      case "drop-journey": {
        const id = await this.journeyId(write.key);
        if (id === undefined) break;
        await this.client.query(SQL.releaseVerdicts, [id]);
        await this.client.query(SQL.deleteJourney, [id]);
        break;
      }
      case "verdict":
        await this.writeVerdict(null, write.verdict);
        break;
      case "store":
        await this.client.query(SQL.insertStore, storeRow(write.store, pgTime));
        break;
      case "training":
        await this.writeTraining(write.training);
        break;
    }
  }

  private async journeyId(key: string): Promise<number | undefined> {
    const { rows } = await this.client.query<{ id: number }>(SQL.journeyIdByKey, [key]);
    return rows[0]?.id;
  }

  private async writeJourney(journey: JourneyRecord, replaces: boolean): Promise<void> {
    if (replaces) {
      const existing = await this.journeyId(journey.key);
      if (existing !== undefined) {
        await this.client.query(SQL.releaseVerdicts, [existing]);
        for (const sql of SQL.deleteChildren) await this.client.query(sql, [existing]);
      }
    }
    const { rows } = await this.client.query<{ id: number }>(
      replaces ? SQL.upsertJourney : SQL.insertJourney,
      journeyRow(journey, pgTime),
    );
    const id = (rows[0] as { id: number }).id;
    for (const [position, q] of journey.queues.entries())
      await this.client.query(SQL.insertQueue, queueRow(id, position, q, pgTime));
    for (const d of journey.deliveries)
      await this.client.query(SQL.insertDelivery, deliveryRow(id, d, pgTime));
    for (const verdict of journey.verdicts) await this.writeVerdict(id, verdict);
    for (const host of journey.hosts) await this.client.query(SQL.insertHost, [id, host]);
  }

  private async writeVerdict(journeyId: number | null, v: VerdictRecord): Promise<void> {
    await this.client.query(SQL.insertVerdict, verdictRow(journeyId, v, pgTime));
  }

  private async writeTraining(t: ResolvedTraining): Promise<void> {
    const journeyId = t.journeyKey === null ? null : ((await this.journeyId(t.journeyKey)) ?? null);
    await this.client.query(SQL.upsertTraining, trainingRow(t, journeyId, pgTime));
  }
}
