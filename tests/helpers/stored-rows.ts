import { ModelName } from "../../generated/prisma/internal/prismaNamespace.ts";

type Row = Record<string, unknown>;
type Delegate = { findMany(args?: object): Promise<Row[]> };
const delegate = (client: object, model: string) =>
  (client as Record<string, Delegate>)[model.charAt(0).toLowerCase() + model.slice(1)] as Delegate;

// Set by the database when written, not by what was ingested.
const VOLATILE = new Set(["id", "createdAt", "updatedAt", "lastReadAt"]);
// Bookkeeping of one database or one run: the settings (PostgreSQL's leader keeps its position there), logins.
const SKIPPED = new Set([
  "Setting",
  "User",
  "Session",
  "LoginAttempt",
  "ReportRun",
  "ConfigSnapshot",
  "FindingAudit",
]);

/**
 * Every row the ingest wrote, through a Prisma client of either database, in a stable order, with
 * the ids the database chose replaced by what they point at (a journey's key, a finding's key, a
 * source's fingerprint): two databases that ingested the same logs hold the same text.
 */
export async function storedRows(client: object): Promise<Record<string, string[]>> {
  const journeys = new Map((await delegate(client, "Journey").findMany()).map((j) => [j.id, j.key]));
  const findings = new Map((await delegate(client, "Finding").findMany()).map((f) => [f.id, f.key]));
  const sources = new Map((await delegate(client, "Source").findMany()).map((s) => [s.id, s.fingerprint]));
  const result: Record<string, string[]> = {};
  for (const model of Object.values(ModelName)) {
    if (SKIPPED.has(model)) continue;
    const rows = await delegate(client, model).findMany();
    result[model] = rows
      .map((row) => {
        const out: Row = {};
        for (const [key, value] of Object.entries(row)) {
          if (VOLATILE.has(key)) continue;
          if (key === "journeyId") out.journey = value === null ? null : journeys.get(value);
          else if (key === "findingId") out.finding = findings.get(value);
          else if (key === "sourceId" && model !== "LineBlock") out.source = sources.get(value);
          else out[key] = value;
        }
        return canonicalJson(out);
      })
      .sort();
  }
  return result;
}

/** A row as JSON, BigInts and bytes included, the same whichever database it came from. */
export const canonicalJson = (row: Record<string, unknown>) =>
  JSON.stringify(row, (_key, value) =>
    typeof value === "bigint"
      ? `${value}n`
      : value instanceof Uint8Array
        ? Buffer.from(value).toString("hex")
        : value,
  );
