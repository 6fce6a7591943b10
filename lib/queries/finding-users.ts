import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import type { FindingKind } from "../detect/types.ts";
import { dialectOf, END_OF_TIME, jsonColumnTable, readRows } from "./dialect.ts";
import { evidenceOnHost } from "./message-filters.ts";
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
  const onHost = evidenceOnHost(range.host);
  const rows = await readRows<{ user: string }>(
    prisma,
    `SELECT DISTINCT lower(u.value) AS "user"
     FROM "Finding" f JOIN "FindingEvidence" e ON e."findingId" = f.id, ${jsonColumnTable(dialectOf(prisma), "e.users", "u")}
     WHERE f.kind IN (${marks(kinds)}) AND e.ts >= ? AND e.ts < ? AND u.value <> ''${onHost.sql}
     ORDER BY 1`,
    ...kinds,
    range.since ?? new Date(0),
    range.until ?? END_OF_TIME,
    ...onHost.params,
  );
  return rows.map((r) => String(r.user));
}
