import type pg from "pg";
import { inTransaction } from "../../db/postgres.ts";
import { forDialect } from "../../queries/dialect.ts";
import { dropEmptySql, refreshSql } from "../finding-writer.ts";
import { lineBound, lineKeyBound, type PruneCounts, pruneSql } from "../retention.ts";
import { epochMs, pgTime } from "./sql.ts";

const REFRESH = forDialect("postgresql", refreshSql("= ANY(?::int[])"));
const DROP_EMPTY = forDialect("postgresql", dropEmptySql("= ANY(?::int[])"));

/**
 * lib/store/retention.ts's Pruner on PostgreSQL: the same phases and statements, each step one
 * transaction of the client (the correlating leader's connection, between its batches: one
 * process prunes at a time). Lines go only once the leader has correlated them (`through`).
 */
export class PostgresPruner {
  readonly counts: PruneCounts = { evidence: 0, trainings: 0, journeys: 0, verdicts: 0, stores: 0, lines: 0 };
  private phase = 0;
  private readonly phases: ((client: pg.ClientBase) => Promise<number>)[];

  constructor(
    cutoff: number,
    through: () => number,
    options: { batchRows?: number; now?: () => number } = {},
  ) {
    const sql = Object.fromEntries(
      Object.entries(pruneSql(options.batchRows ?? 1000)).map(([name, text]) => [
        name,
        forDialect("postgresql", text),
      ]),
    ) as ReturnType<typeof pruneSql>;
    const time = pgTime(cutoff);
    const now = options.now ?? Date.now;
    const changes = async (client: pg.ClientBase, text: string, args: unknown[]) =>
      (await client.query(text, args)).rowCount ?? 0;
    let bound: number | undefined;
    this.phases = [
      async (client) => {
        const { rows } = await client.query<{ findingId: number }>(
          `DELETE FROM "FindingEvidence" WHERE "id" IN (SELECT "id" FROM (${sql.evidence}) old) RETURNING "findingId"`,
          [time],
        );
        const findings = [...new Set(rows.map((row) => row.findingId))];
        if (findings.length > 0) {
          await client.query(REFRESH, [pgTime(now()), findings]);
          await client.query(DROP_EMPTY, [findings]);
        }
        return this.add("evidence", rows.length);
      },
      async (client) => this.add("trainings", await changes(client, sql.trainings, [time])),
      async (client) => this.add("journeys", await changes(client, sql.journeys, [time, time])),
      async (client) => this.add("verdicts", await changes(client, sql.verdicts, [time])),
      async (client) => this.add("stores", await changes(client, sql.stores, [time])),
      async (client) => {
        if (bound === undefined) {
          const { rows } = await client.query<{ ts: number | null }>(
            `SELECT ${epochMs(`min("firstTs")`, "ts")} FROM "Journey"`,
          );
          bound = lineBound(cutoff, rows[0]?.ts ?? null);
        }
        const deleted = await changes(client, sql.keys, [lineKeyBound(bound)]);
        const { rows: old } = await client.query<{ id: number; count: number }>(sql.blocks, [
          bound,
          through(),
        ]);
        for (const block of old) {
          await client.query(sql.deleteIssues, [block.id, block.id + block.count]);
          await client.query(sql.deleteBlock, [block.id]);
        }
        return this.add("lines", deleted) + old.length;
      },
    ];
  }

  /** Deletes one batch in one transaction of `client`; false once nothing older than the cutoff is left. */
  async step(client: pg.ClientBase): Promise<boolean> {
    while (this.phase < this.phases.length) {
      const phase = this.phases[this.phase] as (client: pg.ClientBase) => Promise<number>;
      if ((await inTransaction(client, () => phase(client))) > 0) return true;
      this.phase += 1;
    }
    return false;
  }

  private add(kind: keyof PruneCounts, deleted: number): number {
    this.counts[kind] += deleted;
    return deleted;
  }
}
