import type pg from "pg";
import type { Db } from "../../lib/db/connection.ts";

// Written once for both databases (quoted names). Copies in time order, then by queue and
// recipient: syslog times are whole seconds, and line ids follow the order the files were read in.
const STATE_SQL = {
  journeys: `SELECT "key", "messageId", "origin", "verdict", "delivered" FROM "Journey" ORDER BY "key"`,
  copies: `SELECT j."key", d."queueId", d."recipient", d."status", d."folder", d."verdictUser", d."verdictClass"
    FROM "Delivery" d JOIN "Journey" j ON j."id" = d."journeyId"
    ORDER BY j."key", d."ts", d."queueId", d."recipient", d."status", d."lineId"`,
  verdicts: `SELECT v."filterUser", v."signature", v."queueId", j."key" FROM "Verdict" v LEFT JOIN "Journey" j ON j."id" = v."journeyId"
    ORDER BY v."signature", v."filterUser", v."queueId", j."key"`,
  trainings: `SELECT "key", "login", "filterUser", "classifiedUser", "direction", "outcome", "reason" FROM "Training" ORDER BY "key"`,
  findings: `SELECT "key", "severity", "count" FROM "Finding" ORDER BY "key"`,
};

/** What must not depend on how the files were ingested: each journey's queues, copies and verdicts, trainings, findings. */
export function ingestedState(db: Db) {
  return Object.fromEntries(Object.entries(STATE_SQL).map(([name, sql]) => [name, db.prepare(sql).all()]));
}

/** ingestedState of a PostgreSQL database. */
export async function ingestedStatePostgres(pool: pg.Pool) {
  const state: Record<string, unknown[]> = {};
  for (const [name, sql] of Object.entries(STATE_SQL)) state[name] = (await pool.query(sql)).rows;
  return state;
}
