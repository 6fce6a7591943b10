import type { PrismaClient } from "../../generated/prisma/client.ts";
import { offsetChanges } from "../core/display-zone.ts";
import type { Origin } from "../core/journey.ts";
import { getPrisma } from "../db/prisma.ts";
import {
  dialectOf,
  epochMs,
  epochSlot,
  type LocalBucket,
  readRows,
  type SqlDialect,
  utcBucketText,
} from "./dialect.ts";
import { getFiltersInUse } from "./filters-in-use.ts";
import { listFindings } from "./finding-list.ts";
import { andOnHost, type Clause, type MessageFilters, messagePredicate } from "./message-filters.ts";
import { type TrainingFilter, trainingPredicate } from "./trainings.ts";

/** A time range, and optionally one mail server (`host`: the journeys that touched it, its retrainings). */
export type TimeRange = { since: Date; until: Date; host?: string };

export { ORIGINS, type Origin } from "../core/journey.ts";

/**
 * The overview's message counters. Each is the set of messages its link opens: the counter is
 * countMessages of that filter in the range, and /messages with the same filter lists them.
 */
export const MESSAGE_COUNTERS = {
  messages: {},
  inbound: { origin: "inbound" },
  authenticated: { origin: "authenticated" },
  local: { origin: "local" },
  unknown: { origin: "unknown" },
  spam: { verdict: "spam" },
  innocent: { verdict: "innocent" },
  none: { verdict: "none" },
  filtered: { state: "filtered" },
  bypassed: { state: "bypassed" },
  waitedForFilter: { state: "waited-for-filter" },
  queued: { state: "queued" },
  inProgress: { state: "in-progress" },
} as const satisfies Record<string, MessageFilters>;
export type MessageCounter = keyof typeof MESSAGE_COUNTERS;

/** The retraining counters, each the list /users?retrains=… shows. */
export const TRAINING_COUNTERS = [
  "all",
  "applied",
  "failed",
  "unknown",
  "misdirected",
] as const satisfies TrainingFilter[];

/** Counts that say whether the pipeline works, for a time range (messages by their first line). */
export type Overview = {
  range: TimeRange;
  messages: number;
  byOrigin: Record<Origin, number>;
  /** The filters whose verdicts or retrainings the database holds (lib/queries/filters-in-use.ts). */
  filters: string[];
  /** Messages judged spam / innocent by the filter, and not judged at all. */
  byVerdict: { spam: number; innocent: number; none: number };
  /** Went through the content filter. */
  filtered: number;
  /** Inbound mail that reached recipients without passing the filter. */
  bypassed: number;
  /** Messages whose hand-off to the filter was deferred or bounced at least once. */
  deferredToFilter: number;
  /** Successful final deliveries (copies). */
  deliveredCopies: number;
  /** Messages still queued when the logs end. */
  inFlight: number;
  /** Messages the correlator still follows (MESSAGE_COUNTERS.inProgress). */
  inProgress: number;
  trainings: { attempts: number; applied: number; failed: number; misdirected: number; unknown: number };
  /** Open findings with evidence in the range, by severity: the counts of listFindings' list. */
  openFindings: { high: number; medium: number; low: number };
};

type Row = Record<string, unknown>;
const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

async function one(prisma: PrismaClient, sql: string, ...params: unknown[]): Promise<Row> {
  const rows = await readRows<Row>(prisma, sql, ...params);
  return rows[0] ?? {};
}

/** Sums of several predicates over one table in one pass: `sum(CASE WHEN … THEN 1 END) AS key`. */
function tally(predicates: Record<string, Clause>): Clause {
  const entries = Object.entries(predicates);
  return {
    sql: entries.map(([key, p]) => `sum(CASE WHEN ${p.sql} THEN 1 ELSE 0 END) AS "${key}"`).join(", "),
    params: entries.flatMap(([, p]) => p.params),
  };
}

/** The overview numbers for a time range; the dashboard and the weekly report both read them here. */
export async function getOverview(range: TimeRange, prisma: PrismaClient = getPrisma()): Promise<Overview> {
  const bounds = { since: range.since, until: range.until, host: range.host };
  const messages = tally(
    Object.fromEntries(
      Object.entries(MESSAGE_COUNTERS).map(([key, filter]) => [
        key,
        messagePredicate(filter, dialectOf(prisma)),
      ]),
    ),
  );
  const inRange = messagePredicate(bounds, dialectOf(prisma));
  const journeys = await one(
    prisma,
    `SELECT ${messages.sql}, sum(j.delivered) AS "deliveredCopies" FROM "Journey" j WHERE ${inRange.sql}`,
    ...messages.params,
    ...inRange.params,
  );
  const trainings = tally(
    Object.fromEntries(TRAINING_COUNTERS.map((outcome) => [outcome, trainingPredicate({ outcome })])),
  );
  const trainingsInRange = trainingPredicate(bounds);
  const retrains = await one(
    prisma,
    `SELECT ${trainings.sql} FROM "Training" t WHERE ${trainingsInRange.sql}`,
    ...trainings.params,
    ...trainingsInRange.params,
  );
  const open = await listFindings({ ...bounds, statuses: ["open"] }, prisma);
  const filters = await getFiltersInUse(prisma);
  const bySeverity = { high: 0, medium: 0, low: 0 };
  for (const finding of open) bySeverity[finding.severity] += 1;
  const counts = Object.fromEntries(
    Object.keys(MESSAGE_COUNTERS).map((key) => [key, n(journeys[key])]),
  ) as Record<MessageCounter, number>;
  return {
    range,
    filters,
    messages: counts.messages,
    byOrigin: {
      inbound: counts.inbound,
      authenticated: counts.authenticated,
      local: counts.local,
      unknown: counts.unknown,
    },
    byVerdict: { spam: counts.spam, innocent: counts.innocent, none: counts.none },
    filtered: counts.filtered,
    bypassed: counts.bypassed,
    deferredToFilter: counts.waitedForFilter,
    deliveredCopies: n(journeys.deliveredCopies),
    inFlight: counts.queued,
    inProgress: counts.inProgress,
    trainings: {
      attempts: n(retrains.all),
      applied: n(retrains.applied),
      failed: n(retrains.failed),
      misdirected: n(retrains.misdirected),
      unknown: n(retrains.unknown),
    },
    openFindings: bySeverity,
  };
}

/**
 * Width of the time buckets of getDailyVolumes / getDailyTrainings (default day); `day` then holds
 * the bucket's start in the display time zone (SPAMTRAIL_TZ): 2026-11-22, 2026-11-22 03:00 or 2026-11-22 03:26.
 */
export type Bucket = LocalBucket;

// Rows are first counted per UTC slot (integer arithmetic), then the few slots are put in buckets
// of the display zone (lib/core/display-zone.ts): its offset at each slot comes from a CASE over
// the offset changes in the range, so no per-row time zone conversion runs. Every zone's offset
// is a whole number of 15 minutes, so a 15-minute slot never straddles a local hour or day;
// minute buckets use one-minute slots.
const slotSeconds = (bucket: Bucket | undefined) => (bucket === "minute" ? 60 : 900);

/** SQL: the bucket label, in the display zone, of the DateTime column `column` (epoch ms with `asMs`). */
export function zonedBucketSql(
  dialect: SqlDialect,
  column: string,
  range: TimeRange,
  bucket: Bucket | undefined,
  asMs = false,
): string {
  const ms = asMs ? column : epochMs(dialect, column);
  const changes = offsetChanges(range.since.getTime(), range.until.getTime());
  const offset =
    changes.length === 1
      ? String((changes[0]?.offset ?? 0) / 1000)
      : `CASE ${changes
          .slice(1)
          .map((c, i) => `WHEN ${ms} < ${c.from} THEN ${(changes[i]?.offset ?? 0) / 1000}`)
          .join(" ")} ELSE ${(changes.at(-1)?.offset ?? 0) / 1000} END`;
  return utcBucketText(dialect, `${ms} / 1000 + ${offset}`, bucket ?? "day");
}

/** SQL: the bucket label of `slot` (slots of slotSeconds since the epoch). */
function bucketSql(dialect: SqlDialect, range: TimeRange, bucket: Bucket | undefined): string {
  return zonedBucketSql(dialect, `slot * ${slotSeconds(bucket) * 1000}`, range, bucket, true);
}

/** Messages per day (display time zone) by origin and verdict. */
export type DailyVolume = {
  day: string;
  origin: Origin;
  verdict: "spam" | "innocent" | "none";
  messages: number;
};

export async function getDailyVolumes(
  range: TimeRange,
  prisma: PrismaClient = getPrisma(),
  options: { bucket?: Bucket } = {},
): Promise<DailyVolume[]> {
  const dialect = dialectOf(prisma);
  const seconds = slotSeconds(options.bucket);
  const onHost = andOnHost(range.host, { journeyColumn: "id" });
  const rows = await readRows<Row>(
    prisma,
    `SELECT ${bucketSql(dialect, range, options.bucket)} AS day,
       origin, verdict, sum(n) AS messages
     FROM (SELECT ${epochSlot(dialect, '"firstTs"', seconds)} AS slot, origin, coalesce(verdict, 'none') AS verdict, count(*) AS n
       FROM "Journey" WHERE "firstTs" >= ? AND "firstTs" < ?${onHost.sql} GROUP BY slot, origin, coalesce(verdict, 'none')) AS slots
     GROUP BY day, origin, verdict ORDER BY day, origin, verdict`,
    range.since,
    range.until,
    ...onHost.params,
  );
  return rows.map((r) => ({
    day: String(r.day),
    origin: r.origin as Origin,
    verdict: r.verdict as DailyVolume["verdict"],
    messages: n(r.messages),
  }));
}

/** Retraining attempts per day and how many DSPAM applied. */
export type DailyTraining = {
  day: string;
  attempts: number;
  applied: number;
  failed: number;
  misdirected: number;
};

export async function getDailyTrainings(
  range: TimeRange,
  prisma: PrismaClient = getPrisma(),
  options: { bucket?: Bucket } = {},
): Promise<DailyTraining[]> {
  const dialect = dialectOf(prisma);
  const seconds = slotSeconds(options.bucket);
  const onHost = andOnHost(range.host, { hostColumn: "host" });
  const rows = await readRows<Row>(
    prisma,
    `SELECT ${bucketSql(dialect, range, options.bucket)} AS day,
       sum(attempts) AS attempts, sum(applied) AS applied, sum(failed) AS failed, sum(misdirected) AS misdirected
     FROM (SELECT ${epochSlot(dialect, "ts", seconds)} AS slot, count(*) AS attempts,
         sum(CASE WHEN outcome = 'applied' THEN 1 ELSE 0 END) AS applied,
         sum(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END) AS failed,
         sum(CASE WHEN "classifiedUser" IS NOT NULL AND "filterUser" IS NOT NULL
           AND lower("classifiedUser") <> lower("filterUser") THEN 1 ELSE 0 END) AS misdirected
       FROM "Training" WHERE ts >= ? AND ts < ?${onHost.sql} GROUP BY slot) AS slots
     GROUP BY day ORDER BY day`,
    range.since,
    range.until,
    ...onHost.params,
  );
  return rows.map((r) => ({
    day: String(r.day),
    attempts: n(r.attempts),
    applied: n(r.applied),
    failed: n(r.failed),
    misdirected: n(r.misdirected),
  }));
}

/** Every mail server a journey touched or a retraining was made on, sorted. */
export async function getHosts(prisma: PrismaClient = getPrisma()): Promise<string[]> {
  const rows = await readRows<Row>(
    prisma,
    `SELECT host FROM "JourneyHost" UNION SELECT host FROM "Training" WHERE host IS NOT NULL ORDER BY 1`,
  );
  return rows.map((r) => String(r.host));
}

/** The span of time the database covers (first and last message), for default ranges. */
export async function getDataSpan(
  prisma: PrismaClient = getPrisma(),
): Promise<{ first: Date; last: Date } | null> {
  const row = await one(
    prisma,
    `SELECT min(first) AS first, max(last) AS last FROM (
       SELECT min("firstTs") AS first, max("lastTs") AS last FROM "Journey"
       UNION ALL SELECT min(ts), max(ts) FROM "Training") AS span`,
  );
  if (row.first === null || row.first === undefined) return null;
  return { first: new Date(n(row.first)), last: new Date(n(row.last)) };
}
