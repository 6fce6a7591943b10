import type pg from "pg";
import { DETECTORS_VERSION } from "../../detect/kinds.ts";
import { forDialect } from "../../queries/dialect.ts";
import {
  DetectionRules,
  dspamUsersSeen,
  LEARNT_SQL,
  LearnedContext,
  rspamdLearnsSql,
  rspamdLearnUsers,
  SAVE_DETECTORS_VERSION_SQL,
} from "../detection.ts";
import { PostgresFindingWriter } from "./finding-writer.ts";
import { readJourneysPostgres, readTrainingsPostgres } from "./journey-reader.ts";
import { epochMs, pgTime } from "./sql.ts";

// Journeys detected again per query after an upgrade of the detectors.
const REDETECT_CHUNK = 500;

/** lib/store/detection.ts's rules on PostgreSQL: what they decide is written by commit(). */
export class PostgresDetection extends DetectionRules {
  private constructor(
    context: LearnedContext,
    private readonly writer: PostgresFindingWriter,
  ) {
    super(context, writer);
  }

  /** Loads what earlier runs learnt. */
  static async load(
    client: pg.ClientBase,
    localDomains: () => readonly string[],
  ): Promise<PostgresDetection> {
    const column = async (sql: string) =>
      (await client.query({ text: sql, rowMode: "array" })).rows.map((r) => String(r[0]));
    const context = new LearnedContext(localDomains).loadRows(
      await column(LEARNT_SQL.mxServices),
      await column(LEARNT_SQL.filteredServices),
      await column(LEARNT_SQL.mailboxes),
    );
    return new PostgresDetection(context, new PostgresFindingWriter());
  }

  /** Findings about the whole server, recomputed from the database. */
  async recomputeGlobal(client: pg.ClientBase): Promise<void> {
    const verdicts = await client.query(
      `WITH ranked AS (
         SELECT lower("filterUser") AS u, "ts", "lineId",
           row_number() OVER (PARTITION BY lower("filterUser") ORDER BY "ts", "lineId") AS rn
         FROM "Verdict" WHERE "filter" = 'dspam' AND "filterUser" IS NOT NULL)
       SELECT u AS "user", ${epochMs("min(ts)", "first")}, ${epochMs("max(ts)", "last")}, count(*)::int AS n,
         string_agg(CASE WHEN rn <= 5 THEN "lineId"::text END, ',' ORDER BY "lineId") AS lines
       FROM ranked GROUP BY u ORDER BY u`,
    );
    const trainings = await client.query(
      `SELECT lower("filterUser") AS "user", ${epochMs(`"ts"`, "ts")}, "lines" FROM "Training"
       WHERE "filter" = 'dspam' AND "filterUser" IS NOT NULL ORDER BY "ts", "id"`,
    );
    const learns = await client.query(rspamdLearnsSql(epochMs(`"ts"`, "ts")));
    this.global([...dspamUsersSeen(verdicts.rows, trainings.rows), ...rspamdLearnUsers(learns.rows)]);
  }

  /** After an upgrade of the detectors (DETECTORS_VERSION): every stored journey and retraining detected again. */
  async redetectIfChanged(client: pg.ClientBase, now: number): Promise<void> {
    const stored = await client.query<{ value: string }>(
      `SELECT "value" FROM "Setting" WHERE "key" = 'detectors'`,
    );
    if (stored.rows[0]?.value === String(DETECTORS_VERSION)) return;
    for (let after = 0; ; ) {
      const chunk = await readJourneysPostgres(
        client,
        `j."id" IN (SELECT "id" FROM "Journey" WHERE "id" > $1 ORDER BY "id" LIMIT ${REDETECT_CHUNK})`,
        [after],
      );
      if (chunk.length === 0) break;
      for (const { journey } of chunk) this.redetect({ journey });
      after = (chunk.at(-1) as { id: number }).id;
      await this.writer.commit(client, now);
    }
    for (const training of await readTrainingsPostgres(client, "TRUE", [])) this.redetect({ training });
    await this.recomputeGlobal(client);
    await this.writer.commit(client, now);
    await client.query(forDialect("postgresql", SAVE_DETECTORS_VERSION_SQL), [
      String(DETECTORS_VERSION),
      pgTime(now),
    ]);
  }

  /** Writes the evidence decided since the last call and brings the findings it touched up to date. */
  commit(client: pg.ClientBase, now: number): Promise<void> {
    return this.writer.commit(client, now);
  }
}
