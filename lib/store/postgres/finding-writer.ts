import type pg from "pg";
import { type Evidence, findingKey } from "../../detect/types.ts";
import { forDialect } from "../../queries/dialect.ts";
import {
  addSet,
  dropEmptySql,
  type EvidenceSink,
  evidenceArgs,
  FINDING_TABLES,
  FindingChanges,
  findingArgs,
  refreshSql,
} from "../finding-writer.ts";
import { insertRows, pgTime, reserveIds } from "./sql.ts";

type Operation =
  | { type: "replace"; refs: string[]; evidence: readonly Evidence[] }
  | { type: "kind"; kind: string; evidence: readonly Evidence[] };

const REFRESH = forDialect("postgresql", refreshSql("= ANY(?::int[])"));
const DROP_EMPTY = forDialect("postgresql", dropEmptySql("= ANY(?::int[])"));
// addSet for many findings at once, each with its own values (named apart from Finding's columns).
const ADD = `UPDATE "Finding" SET ${addSet("least", "greatest", {
  first: "c.first",
  last: "c.last",
  rank: "c.rank",
  severity: "c.sev",
  added: "c.added",
  now: "$7::timestamp",
})}
  FROM unnest($1::int[], $2::timestamp[], $3::timestamp[], $4::int[], $5::text[], $6::int[])
    AS c(fid, first, last, rank, sev, added)
  WHERE "Finding"."id" = c.fid`;

const evidenceKey = (e: Evidence) => `${findingKey(e.kind, e.subject)}\u001f${e.ref}`;

/**
 * Detector evidence for PostgreSQL: the detectors run synchronously (lib/store/detection.ts's
 * DetectionRules), so their replacements are recorded, then written by commit() inside the
 * correlation's transaction with the rules of SQLite's FindingWriter (lib/store/finding-writer.ts),
 * which applies them one by one: here what they leave is worked out first and each table is
 * written in a few multi-row statements.
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
    if (operations.length === 0) return;
    const changes = new FindingChanges();

    // Every finding any evidence names, created if new, and its id: one by one, each evidence
    // upserts its finding and then itself, and each takes an id of both tables' sequences (reserveIds).
    const touched = new Map<string, { e: Evidence; at: number }>();
    let taken = 0;
    for (const operation of operations)
      for (const e of operation.evidence) {
        const key = findingKey(e.kind, e.subject);
        if (!touched.has(key)) touched.set(key, { e, at: taken });
        taken += 1;
      }
    const first = await reserveIds(client, { Finding: taken, FindingEvidence: taken });
    const ids = new Map<string, number>();
    const upserted = await insertRows<{ id: number; key: string }>(
      client,
      FINDING_TABLES.finding.table,
      ["id", ...FINDING_TABLES.finding.columns],
      [...touched.values()].map(({ e, at }) => [
        (first.Finding as number) + at,
        ...findingArgs(e, now, pgTime),
      ]),
      `${FINDING_TABLES.finding.conflict} RETURNING "id", "key"`,
    );
    for (const row of upserted) ids.set(row.key, row.id);
    const idOf = (e: Evidence) => ids.get(findingKey(e.kind, e.subject)) as number;

    // Stored evidence the operations replace: none of it survives (what they add is written after).
    const refs = [...new Set(operations.flatMap((o) => (o.type === "replace" ? o.refs : [])))];
    const kinds = [...new Set(operations.flatMap((o) => (o.type === "kind" ? [o.kind] : [])))];
    if (refs.length > 0) {
      const { rows } = await client.query<{ findingId: number }>(
        `DELETE FROM "FindingEvidence" WHERE "ref" = ANY($1::text[]) RETURNING "findingId"`,
        [refs],
      );
      for (const row of rows) changes.removed(row.findingId);
    }
    if (kinds.length > 0) {
      await client.query(
        `DELETE FROM "FindingEvidence" WHERE "findingId" IN (SELECT "id" FROM "Finding" WHERE "kind" = ANY($1::text[]))`,
        [kinds],
      );
      const { rows } = await client.query<{ id: number }>(
        `SELECT "id" FROM "Finding" WHERE "kind" = ANY($1::text[])`,
        [kinds],
      );
      for (const row of rows) changes.removed(row.id);
    }

    // The evidence the operations leave, each row with its last values and the id of its first insert.
    const pending = new Map<string, { e: Evidence; at: number }>();
    taken = 0;
    for (const operation of operations) {
      const replaced = new Set<string>(operation.type === "replace" ? operation.refs : []);
      for (const [key, { e }] of pending)
        if (operation.type === "replace" ? replaced.has(e.ref) : e.kind === operation.kind) {
          pending.delete(key);
          changes.removed(idOf(e));
        }
      const inserted = new Set<string>();
      for (const e of operation.evidence) {
        const key = evidenceKey(e);
        pending.set(key, { e, at: pending.get(key)?.at ?? taken });
        taken += 1;
        changes.added(idOf(e), e, inserted, replaced);
      }
    }
    await insertRows(
      client,
      FINDING_TABLES.evidence.table,
      ["id", ...FINDING_TABLES.evidence.columns],
      [...pending.values()].map(({ e, at }) => [
        (first.FindingEvidence as number) + at,
        ...evidenceArgs(idOf(e), e, pgTime),
      ]),
      FINDING_TABLES.evidence.conflict,
    );

    const removed = [...changes.byId].filter(([, c]) => c.removed).map(([id]) => id);
    if (removed.length > 0) {
      await client.query(REFRESH, [pgTime(now), removed]);
      await client.query(DROP_EMPTY, [removed]);
    }
    const added = [...changes.byId].filter(([, c]) => !c.removed);
    if (added.length > 0)
      await client.query(ADD, [
        added.map(([id]) => id),
        added.map(([, c]) => pgTime(c.first)),
        added.map(([, c]) => pgTime(c.last)),
        added.map(([, c]) => c.rank),
        added.map(([, c]) => c.severity),
        added.map(([, c]) => c.added),
        pgTime(now),
      ]);
  }
}
