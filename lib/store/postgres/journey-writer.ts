import type pg from "pg";
import type { StoreWrite } from "../../correlate/resolve.ts";
import {
  deliveryRow,
  JOURNEY_TABLES,
  journeyRow,
  queueRow,
  storeRow,
  trainingRow,
  verdictRow,
} from "../journey-writer.ts";
import { type Incarnation, netWrites } from "./net-writes.ts";
import { insertRows, pgTime, reserveIds } from "./sql.ts";

type Table = (typeof JOURNEY_TABLES)[keyof typeof JOURNEY_TABLES];
/** Inserts rows of a table; `withId`: each row starts with its id (the rest in the table's columns' order). */
const insert = <Row extends Record<string, unknown>>(
  client: pg.ClientBase,
  { table, columns, conflict }: Table,
  rows: unknown[][],
  { withId = true, returning = "" } = {},
) =>
  rows.length === 0
    ? Promise.resolve([] as Row[])
    : insertRows<Row>(client, table, withId ? ["id", ...columns] : columns, rows, `${conflict} ${returning}`);

/**
 * Writes journeys, classifications, Dovecot's stores and trainings on PostgreSQL as
 * lib/correlate/resolve.ts decided them, a batch at a time: what the writes leave, as SQLite's
 * JourneyWriter (lib/store/journey-writer.ts) leaves it writing them one by one (netWrites), in
 * a handful of multi-row statements with its columns, rows and conflict rules.
 */
export class PostgresJourneyWriter {
  constructor(private readonly client: pg.ClientBase) {}

  /** One write: a batch of one. */
  apply(write: StoreWrite): Promise<void> {
    return this.applyAll([write]);
  }

  async applyAll(writes: readonly StoreWrite[]): Promise<void> {
    if (writes.length === 0) return;
    const client = this.client;
    const keys = new Set<string>();
    for (const write of writes) {
      if (write.type === "journey") keys.add(write.journey.key);
      else if (write.type === "drop-journey") keys.add(write.key);
      else if (write.type === "training" && write.training.journeyKey !== null)
        keys.add(write.training.journeyKey);
    }
    const stored = new Map<string, number>();
    if (keys.size > 0) {
      const { rows } = await client.query<{ id: number; key: string }>(
        `SELECT "id", "key" FROM "Journey" WHERE "key" = ANY($1::text[])`,
        [[...keys]],
      );
      for (const row of rows) stored.set(row.key, row.id);
    }
    const net = netWrites(writes, stored);

    // Released before anything is deleted: a journey's deletion cascades to the classifications it holds.
    if (net.released.length > 0) {
      await client.query(
        `UPDATE "Verdict" SET "journeyId" = NULL, "queueId" = NULL WHERE "journeyId" = ANY($1::int[])`,
        [net.released],
      );
      for (const table of ["JourneyQueue", "Delivery", "JourneyHost"])
        await client.query(`DELETE FROM "${table}" WHERE "journeyId" = ANY($1::int[])`, [net.released]);
    }
    if (net.dropped.length > 0)
      await client.query(`DELETE FROM "Journey" WHERE "id" = ANY($1::int[])`, [net.dropped]);

    // New rows get the ids SQLite gives writing the batch one row at a time.
    const first = await reserveIds(client, net.taken);
    const from = (table: keyof typeof net.taken, at: number) => (first[table] as number) + at;
    // A training keeps the id of the journey it named, even if the batch dropped that one later (as one by one).
    const idOf = (owner: Incarnation | null): number | null =>
      owner === null ? null : (owner.storedId ?? from("Journey", owner.created));
    await insert(
      client,
      JOURNEY_TABLES.journey,
      net.journeys.map((i) => [
        idOf(i),
        ...journeyRow(i.journey as NonNullable<Incarnation["journey"]>, pgTime),
      ]),
    );

    const queues: unknown[][] = [];
    const deliveries: unknown[][] = [];
    const hosts: unknown[][] = [];
    for (const incarnation of net.journeys) {
      const id = idOf(incarnation) as number;
      const journey = incarnation.journey as NonNullable<Incarnation["journey"]>;
      for (const [position, q] of journey.queues.entries())
        queues.push([
          from("JourneyQueue", incarnation.queuesAt + position),
          ...queueRow(id, position, q, pgTime),
        ]);
      for (const [i, d] of journey.deliveries.entries())
        deliveries.push([from("Delivery", incarnation.deliveriesAt + i), ...deliveryRow(id, d, pgTime)]);
      for (const host of journey.hosts) hosts.push([id, host]);
    }
    await insert(client, JOURNEY_TABLES.queue, queues);
    await insert(client, JOURNEY_TABLES.delivery, deliveries);
    await insert(client, JOURNEY_TABLES.host, hosts, { withId: false });
    await insert(
      client,
      JOURNEY_TABLES.verdict,
      net.verdicts.map((v) => [
        from("Verdict", v.at),
        ...verdictRow(idOf(v.owner), { ...v.verdict, queueId: v.queueId }, pgTime),
      ]),
    );
    await insert(
      client,
      JOURNEY_TABLES.store,
      net.stores.map((s) => storeRow(s, pgTime)),
      { withId: false },
    );
    if (net.droppedTrainings.length > 0)
      await client.query(`DELETE FROM "Training" WHERE "key" = ANY($1::text[])`, [net.droppedTrainings]);
    // A statement updates a row once: a training written twice in the batch is merged in a second statement.
    for (const round of rounds(net.trainings, (t) => t.training.key))
      await insert(
        client,
        JOURNEY_TABLES.training,
        round.map((t) => [from("Training", t.at), ...trainingRow(t.training, idOf(t.owner), pgTime)]),
      );
  }
}

/** Items split so that no key occurs twice in one part, each key's occurrences in order. */
function rounds<T>(items: readonly T[], key: (item: T) => string): T[][] {
  const parts: T[][] = [];
  const seen = new Map<string, number>();
  for (const item of items) {
    const k = key(item);
    const n = seen.get(k) ?? 0;
    seen.set(k, n + 1);
    const part = parts[n];
    if (part) part.push(item);
    else parts.push([item]);
  }
  return parts;
}
