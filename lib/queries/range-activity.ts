import type { PrismaClient } from "../../generated/prisma/client.ts";
import { localDateTime } from "../core/format.ts";
import { getPrisma } from "../db/prisma.ts";

/** A range to look at, either end open. */
export type OpenRange = { since?: Date; until?: Date };

/**
 * Whether any mail (a message, or a retraining) was logged in a range: an empty range is said so,
 * never reported as "no problems".
 */
export async function hasMail(range: OpenRange, prisma: PrismaClient = getPrisma()): Promise<boolean> {
  const since = range.since?.getTime() ?? 0;
  const until = range.until?.getTime() ?? Number.MAX_SAFE_INTEGER;
  const rows = await prisma.$queryRawUnsafe<{ any: number }[]>(
    `SELECT EXISTS (SELECT 1 FROM Journey WHERE firstTs >= ? AND firstTs < ?)
       OR EXISTS (SELECT 1 FROM Training WHERE ts >= ? AND ts < ?) AS "any"`,
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
