// The lab sample plus the hostile lines, rendered once per test file that needs it.
import { prismaFor } from "../../lib/db/prisma.ts";
import { parseWeek } from "../../lib/report/period.ts";
import { type RenderedReport, renderReport } from "../../lib/report/run-report.ts";
import { labDatabase } from "./lab-db.ts";

export const BASE_URL = "https://spamtrail.example.com";
/** Monday after the lab's week, 07:00: when the schedule sends it. */
export const REPORT_TIME = new Date(2026, 10, 23, 7, 0);

/** Renders week 2026-W47 of a lab database (with the hostile lines when asked). */
export async function renderLabReport(
  options: { hostile?: boolean; baseUrl?: string | null } = {},
): Promise<RenderedReport> {
  const file = await labDatabase({ hostile: options.hostile });
  const period = parseWeek("2026-W47");
  if (!period) throw new Error("2026-W47");
  return renderReport({
    prisma: prismaFor(file),
    period,
    baseUrl: options.baseUrl === undefined ? BASE_URL : options.baseUrl,
    now: () => REPORT_TIME,
  });
}
