import type pg from "pg";
import type { JourneyRecord } from "../../core/journey.ts";
import { journeyFromRows, type StoredTraining, toStoredTraining } from "../journey-reader.ts";
import { epochMs } from "./sql.ts";

type Row = Record<string, unknown>;

// `SELECT *` then each time column again as epoch ms under its own name: pg keeps the last of two
// columns with one name, so the records see milliseconds as they do on SQLite.
const withTimes = (alias: string, columns: readonly string[]) =>
  `${alias}.*, ${columns.map((c) => epochMs(`${alias}."${c}"`, c)).join(", ")}`;

export const JOURNEY_SELECT = withTimes("j", ["firstTs", "lastTs"]);
export const VERDICT_SELECT = withTimes("v", ["ts"]);
export const TRAINING_SELECT = withTimes("t", ["ts"]);

function byJourney(rows: Row[]): Map<number, Row[]> {
  const map = new Map<number, Row[]>();
  for (const row of rows) {
    const id = Number(row.journeyId);
    const list = map.get(id);
    if (list) list.push(row);
    else map.set(id, [row]);
  }
  return map;
}

/** Stored journeys (`where` on "Journey" j) as the correlator's records, in id order, with their ids. */
export async function readJourneysPostgres(
  client: pg.ClientBase,
  where: string,
  params: unknown[],
): Promise<{ id: number; journey: JourneyRecord }[]> {
  const journeys = (
    await client.query<Row>(
      `SELECT ${JOURNEY_SELECT} FROM "Journey" j WHERE ${where} ORDER BY j."id"`,
      params,
    )
  ).rows;
  if (journeys.length === 0) return [];
  const ids = journeys.map((j) => Number(j.id));
  // One after another: a client runs one query at a time.
  const rowsOf = async (sql: string) => byJourney((await client.query<Row>(sql, [ids])).rows);
  const queues = await rowsOf(
    `SELECT ${withTimes("q", ["firstTs", "lastTs"])} FROM "JourneyQueue" q WHERE q."journeyId" = ANY($1::int[]) ORDER BY q."journeyId", q."position"`,
  );
  const deliveries = await rowsOf(
    `SELECT ${withTimes("d", ["ts"])} FROM "Delivery" d WHERE d."journeyId" = ANY($1::int[]) ORDER BY d."journeyId", d."ts", d."lineId"`,
  );
  const verdicts = await rowsOf(
    `SELECT ${VERDICT_SELECT} FROM "Verdict" v WHERE v."journeyId" = ANY($1::int[]) ORDER BY v."journeyId", v."ts", v."lineId"`,
  );
  const hosts = byJourney(
    (
      await client.query<Row>(
        `SELECT "journeyId", "host" FROM "JourneyHost" WHERE "journeyId" = ANY($1::int[]) ORDER BY "journeyId", "host"`,
        [ids],
      )
    ).rows,
  );
  return journeys.map((j) => {
    const id = Number(j.id);
    return {
      id,
      journey: journeyFromRows(
        j,
        queues.get(id) ?? [],
        deliveries.get(id) ?? [],
        verdicts.get(id) ?? [],
        (hosts.get(id) ?? []).map((h) => String(h.host)),
      ),
    };
  });
}

/** Stored trainings (`where` on "Training" t), oldest first, with their journey's key. */
export async function readTrainingsPostgres(
  client: pg.ClientBase,
  where: string,
  params: unknown[],
): Promise<(StoredTraining & { journeyKey: string | null })[]> {
  const { rows } = await client.query<Row>(
    `SELECT ${TRAINING_SELECT}, j."key" AS "journeyKey" FROM "Training" t LEFT JOIN "Journey" j ON j."id" = t."journeyId"
     WHERE ${where} ORDER BY t."ts", t."id"`,
    params,
  );
  return rows.map((row) => ({
    ...toStoredTraining(row),
    journeyKey: row.journeyKey === null ? null : String(row.journeyKey),
  }));
}
