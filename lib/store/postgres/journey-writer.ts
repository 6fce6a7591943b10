import type pg from "pg";
import type { JourneyRecord, VerdictRecord } from "../../core/journey.ts";
import type { ResolvedTraining, StoreWrite } from "../../correlate/resolve.ts";
import {
  DELIVERY_COLUMNS,
  deliveryRow,
  JOURNEY_COLUMNS,
  JOURNEY_UPDATED,
  journeyRow,
  QUEUE_COLUMNS,
  queueRow,
  TRAINING_COLUMNS,
  TRAINING_UPDATED,
  trainingRow,
  VERDICT_COLUMNS,
  VERDICT_UPDATED,
  verdictRow,
} from "../journey-writer.ts";
import { insertManySql, insertSql, pgTime, upsertSql } from "./sql.ts";

// Rows per multi-row INSERT: PostgreSQL takes at most 65,535 parameters per statement.
const ROWS_PER_INSERT = 500;

/**
 * Writes journeys, classifications and trainings on PostgreSQL as lib/correlate/resolve.ts decided
 * them: the same rows and rules as SQLite's JourneyWriter (lib/store/journey-writer.ts).
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
        await this.releaseVerdicts(id);
        await this.client.query(`DELETE FROM "Journey" WHERE "id" = $1`, [id]);
        break;
      }
      case "verdict":
        await this.writeVerdicts(null, [write.verdict]);
        break;
      case "training":
        await this.writeTraining(write.training);
        break;
    }
  }

  private async journeyId(key: string): Promise<number | undefined> {
    const { rows } = await this.client.query<{ id: number }>(`SELECT "id" FROM "Journey" WHERE "key" = $1`, [
      key,
    ]);
    return rows[0]?.id;
  }

  // Classifications are never deleted with their journey: released, they are claimed again.
  private async releaseVerdicts(journeyId: number): Promise<void> {
    await this.client.query(
      `UPDATE "Verdict" SET "journeyId" = NULL, "queueId" = NULL WHERE "journeyId" = $1`,
      [journeyId],
    );
  }

  private async writeJourney(journey: JourneyRecord, replaces: boolean): Promise<void> {
    if (replaces) {
      const existing = await this.journeyId(journey.key);
      if (existing !== undefined) {
        await this.releaseVerdicts(existing);
        await this.client.query(`DELETE FROM "JourneyQueue" WHERE "journeyId" = $1`, [existing]);
        await this.client.query(`DELETE FROM "Delivery" WHERE "journeyId" = $1`, [existing]);
      }
    }
    const { rows } = await this.client.query<{ id: number }>(
      `${insertSql("Journey", JOURNEY_COLUMNS)} ${replaces ? upsertSql("key", JOURNEY_UPDATED) : ""} RETURNING "id"`,
      journeyRow(journey, pgTime),
    );
    const id = (rows[0] as { id: number }).id;
    await this.insertRows(
      "JourneyQueue",
      QUEUE_COLUMNS,
      journey.queues.map((q, position) => queueRow(id, position, q, pgTime)),
    );
    await this.insertRows(
      "Delivery",
      DELIVERY_COLUMNS,
      journey.deliveries.map((d) => deliveryRow(id, d, pgTime)),
    );
    await this.writeVerdicts(id, journey.verdicts);
  }

  private async insertRows(
    table: string,
    columns: readonly string[],
    rows: unknown[][],
    suffix = "",
  ): Promise<void> {
    for (let i = 0; i < rows.length; i += ROWS_PER_INSERT) {
      const part = rows.slice(i, i + ROWS_PER_INSERT);
      await this.client.query(`${insertManySql(table, columns, part.length)} ${suffix}`, part.flat());
    }
  }

  private async writeVerdicts(journeyId: number | null, verdicts: readonly VerdictRecord[]): Promise<void> {
    // One row per line: a journey's verdicts never repeat a line (ON CONFLICT may touch a row once per statement).
    await this.insertRows(
      "Verdict",
      VERDICT_COLUMNS,
      verdicts.map((v) => verdictRow(journeyId, v, pgTime)),
      upsertSql("lineId", VERDICT_UPDATED),
    );
  }

  private async writeTraining(t: ResolvedTraining): Promise<void> {
    const journeyId = t.journeyKey === null ? null : ((await this.journeyId(t.journeyKey)) ?? null);
    await this.client.query(
      `${insertSql("Training", TRAINING_COLUMNS)} ${upsertSql("key", TRAINING_UPDATED)}`,
      trainingRow(t, journeyId, pgTime),
    );
  }
}
