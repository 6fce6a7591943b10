import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import type { FindingKind } from "../detect/types.ts";
import type { TimeRange } from "./stats.ts";

const marks = (values: readonly unknown[]) => values.map(() => "?").join(", ");

/**
 * The users (DSPAM users, logins) named by the evidence of some kinds of finding in a range,
 * whatever the findings' status: the overview's count of them and the users page's list of them.
 */
export async function getFindingUsers(
  kinds: readonly FindingKind[],
  range: Partial<TimeRange>,
  prisma: PrismaClient = getPrisma(),
): Promise<string[]> {
  if (kinds.length === 0) return [];
  const rows = await prisma.$queryRawUnsafe<{ user: string }[]>(
    `SELECT DISTINCT lower(u.value) AS user
     FROM Finding f JOIN FindingEvidence e ON e.findingId = f.id, json_each(e.users) u
     WHERE f.kind IN (${marks(kinds)}) AND e.ts >= ? AND e.ts < ? AND u.value <> ''
     ORDER BY 1`,
    ...kinds,
    range.since?.getTime() ?? 0,
    range.until?.getTime() ?? Number.MAX_SAFE_INTEGER,
  );
  return rows.map((r) => String(r.user));
}
