import type { PrismaClient } from "../../generated/prisma/client.ts";
import { localDateTime } from "../core/format.ts";
import { getPrisma } from "../db/prisma.ts";
import { dialectOf, readRows, timeParam } from "./dialect.ts";

/** A range to look at, either end open. */
export type OpenRange = { since?: Date; until?: Date };

/**
 * Whether any mail (a message, or a retraining) was logged in a range: an empty range is said so,
 * never reported as "no problems".
 */
export async function hasMail(range: OpenRange, prisma: PrismaClient = getPrisma()): Promise<boolean> {
  const dialect = dialectOf(prisma);
  const since = timeParam(dialect, range.since?.getTime() ?? 0);
  const until = timeParam(dialect, range.until?.getTime() ?? Number.MAX_SAFE_INTEGER);
  const rows = await readRows<{ any: unknown }>(
    prisma,
    `SELECT CASE WHEN EXISTS (SELECT 1 FROM "Journey" WHERE "firstTs" >= ? AND "firstTs" < ?)
       OR EXISTS (SELECT 1 FROM "Training" WHERE "ts" >= ? AND "ts" < ?) THEN 1 ELSE 0 END AS "any"`,
    since,
    until,
    since,
    until,
  );
  return Number(rows[0]?.any ?? 0) === 1;
}

/** "No mail logged between 2026-12-01 00:00 and 2026-12-08 00:00." (server time; `until` exclusive). */
export function noMailLogged(range: OpenRange): string {
  if (!range.since && !range.until)
    return "No mail logged yet: nothing has been read (spamtrail ingest or spamtrail follow).";
  const since = range.since ? localDateTime(range.since) : "the start of the logs";
  const until = range.until ? localDateTime(range.until) : "now";
  return `No mail logged between ${since} and ${until}.`;
}
