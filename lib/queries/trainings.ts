// Retrainings of a time range, by outcome: one predicate for the counters (overview, users page)
// and the list they link to.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { readRows } from "./dialect.ts";
import { allOf, type Clause } from "./message-filters.ts";

export const TRAINING_FILTERS = ["all", "applied", "failed", "unknown", "misdirected"] as const;
/** all; applied / failed / unknown (DSPAM's answer); misdirected (aimed at another DSPAM user than the one that classified). */
export type TrainingFilter = (typeof TRAINING_FILTERS)[number];

/** `host`: retrainings made on this server (where the IMAP user moved the message). */
export type TrainingQuery = { since?: Date; until?: Date; outcome?: TrainingFilter; host?: string };

export type TrainingRow = {
  id: number;
  ts: Date;
  login: string | null;
  /** The DSPAM user the retrain was aimed at (from the IMAP login). */
  target: string | null;
  /** The DSPAM user whose verdict carried the signature: the one that should have learnt. */
  classifiedBy: string | null;
  direction: string;
  outcome: string;
  messageId: string | null;
  misdirected: boolean;
};

const MISDIRECTED =
  't."classifiedUser" IS NOT NULL AND t."filterUser" IS NOT NULL AND lower(t."classifiedUser") <> lower(t."filterUser")';

/** The retrainings a query means, on `Training t`. */
export function trainingPredicate(query: TrainingQuery): Clause {
  const clauses: Clause[] = [];
  if (query.since) clauses.push({ sql: "t.ts >= ?", params: [query.since] });
  if (query.until) clauses.push({ sql: "t.ts < ?", params: [query.until] });
  if (query.host) clauses.push({ sql: "t.host = ?", params: [query.host] });
  const outcome = query.outcome ?? "all";
  if (outcome === "misdirected") clauses.push({ sql: MISDIRECTED, params: [] });
  else if (outcome !== "all") clauses.push({ sql: "t.outcome = ?", params: [outcome] });
  return allOf(clauses);
}

type Row = Record<string, unknown>;
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));

/** One page of the retrainings a query means, newest first, and how many there are in all. */
export async function listTrainings(
  query: TrainingQuery,
  options: { limit?: number; offset?: number } = {},
  prisma: PrismaClient = getPrisma(),
): Promise<{ rows: TrainingRow[]; total: number }> {
  const where = trainingPredicate(query);
  const [rows, counted] = await Promise.all([
    readRows<Row>(
      prisma,
      `SELECT t.id, t.ts, t.login, t."filterUser", t."classifiedUser", t.direction, t.outcome, t."messageId",
         CASE WHEN ${MISDIRECTED} THEN 1 ELSE 0 END AS misdirected
       FROM "Training" t WHERE ${where.sql} ORDER BY t.ts DESC, t.id DESC LIMIT ? OFFSET ?`,
      ...where.params,
      options.limit ?? 200,
      options.offset ?? 0,
    ),
    readRows<Row>(prisma, `SELECT count(*) AS n FROM "Training" t WHERE ${where.sql}`, ...where.params),
  ]);
  return {
    rows: rows.map((r) => ({
      id: Number(r.id),
      ts: new Date(Number(r.ts)),
      login: str(r.login),
      target: str(r.filterUser),
      classifiedBy: str(r.classifiedUser),
      direction: String(r.direction),
      outcome: String(r.outcome),
      messageId: str(r.messageId),
      misdirected: Number(r.misdirected) === 1,
    })),
    total: Number(counted[0]?.n ?? 0),
  };
}
