import type pg from "pg";
import type { Evidence } from "../../detect/types.ts";
import { forDialect } from "../../queries/dialect.ts";
import {
  addArgs,
  addSql,
  DROP_EMPTY_SQL,
  type EvidenceSink,
  evidenceArgs,
  FindingChanges,
  findingArgs,
  INSERT_EVIDENCE_SQL,
  REFRESH_SQL,
  UPSERT_FINDING_SQL,
} from "../finding-writer.ts";
import { pgTime } from "./sql.ts";

type Operation =
  | { type: "replace"; refs: string[]; evidence: readonly Evidence[] }
  | { type: "kind"; kind: string; evidence: readonly Evidence[] };

const REFRESH = forDialect("postgresql", REFRESH_SQL);
const DROP_EMPTY = forDialect("postgresql", DROP_EMPTY_SQL);
const ADD = forDialect("postgresql", addSql("least", "greatest"));
const UPSERT_FINDING = forDialect("postgresql", UPSERT_FINDING_SQL);
const INSERT_EVIDENCE = forDialect("postgresql", INSERT_EVIDENCE_SQL);

/**
 * Detector evidence for PostgreSQL: the detectors run synchronously (lib/store/detection.ts's
 * DetectionRules), so their replacements are recorded, then written in order by commit() inside
 * the correlation's transaction, with the rules of SQLite's FindingWriter (lib/store/finding-writer.ts).
 */
export class PostgresFindingWriter implements EvidenceSink {
  private operations: Operation[] = [];

  replace(refs: Iterable<string>, evidence: readonly Evidence[]): void {
    this.operations.push({ type: "replace", refs: [...refs], evidence });
  }

  replaceKind(kind: string, evidence: readonly Evidence[]): void {
    this.operations.push({ type: "kind", kind, evidence });
  }

  /** Writes what was recorded and brings the findings it touched up to date. */
  async commit(client: pg.ClientBase, now: number): Promise<void> {
    const operations = this.operations;
    this.operations = [];
    const changes = new FindingChanges();
    for (const operation of operations) {
      const replaced = new Set<string>();
      if (operation.type === "replace") {
        for (const ref of operation.refs) replaced.add(ref);
        if (operation.refs.length > 0) {
          const { rows } = await client.query<{ findingId: number }>(
            `DELETE FROM "FindingEvidence" WHERE "ref" = ANY($1::text[]) RETURNING "findingId"`,
            [operation.refs],
          );
          for (const row of rows) changes.removed(row.findingId);
        }
      } else {
        const { rows } = await client.query<{ findingId: number }>(
          `DELETE FROM "FindingEvidence" WHERE "findingId" IN (SELECT "id" FROM "Finding" WHERE "kind" = $1)
           RETURNING "findingId"`,
          [operation.kind],
        );
        const { rows: kinds } = await client.query<{ id: number }>(
          `SELECT "id" FROM "Finding" WHERE "kind" = $1`,
          [operation.kind],
        );
        for (const row of [...rows.map((r) => ({ id: r.findingId })), ...kinds]) changes.removed(row.id);
      }
      await this.insert(client, operation.evidence, replaced, changes, now);
    }
    for (const [id, change] of changes.byId) {
      if (change.removed) {
        await client.query(REFRESH, [pgTime(now), id]);
        await client.query(DROP_EMPTY, [id]);
      } else {
        await client.query(ADD, addArgs(id, change, now, pgTime));
      }
    }
  }

  private async insert(
    client: pg.ClientBase,
    evidence: readonly Evidence[],
    replaced: ReadonlySet<string>,
    changes: FindingChanges,
    now: number,
  ): Promise<void> {
    const inserted = new Set<string>();
    for (const e of evidence) {
      const { rows } = await client.query<{ id: number }>(UPSERT_FINDING, findingArgs(e, now, pgTime));
      const id = (rows[0] as { id: number }).id;
      await client.query(INSERT_EVIDENCE, evidenceArgs(id, e, pgTime));
      changes.added(id, e, inserted, replaced);
    }
  }
}
