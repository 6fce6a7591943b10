import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import { FILTER_PLUGINS } from "../filters/registry.ts";
import { readRows } from "./dialect.ts";

/**
 * The filters whose verdicts or retrainings the database holds, in the registry's order: what the
 * pages and the report name ("DSPAM", "DSPAM and Rspamd" on a server moving from one to the other).
 * One probe per filter: it stops at the first row of a filter the database holds.
 */
export async function getFiltersInUse(prisma: PrismaClient = getPrisma()): Promise<string[]> {
  const found: string[] = [];
  for (const { name } of FILTER_PLUGINS) {
    const rows = await readRows<{ x: number }>(
      prisma,
      `SELECT 1 AS x WHERE EXISTS (SELECT 1 FROM "Verdict" WHERE "filter" = ?)
         OR EXISTS (SELECT 1 FROM "Training" WHERE "filter" = ?)`,
      name,
      name,
    );
    if (rows.length > 0) found.push(name);
  }
  return found;
}
