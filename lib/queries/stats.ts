import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";

export type TimeRange = { since: Date; until: Date };

export type Origin = "inbound" | "authenticated" | "local" | "unknown";
export const ORIGINS: readonly Origin[] = ["inbound", "authenticated", "local", "unknown"];

/** Counts that say whether the pipeline works, for a time range (by each message's first line). */
export type Overview = {
  range: TimeRange;
  messages: number;
  byOrigin: Record<Origin, number>;
  /** Messages judged spam / innocent by DSPAM, and not judged at all. */
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
  trainings: { attempts: number; applied: number; failed: number; misdirected: number; unknown: number };
  /** Open findings with evidence in the range, by severity. */
  openFindings: { high: number; medium: number; low: number };
};

type Row = Record<string, unknown>;
const n = (value: unknown) => (value === null || value === undefined ? 0 : Number(value));

async function one(prisma: PrismaClient, sql: string, ...params: unknown[]): Promise<Row> {
  const rows = (await prisma.$queryRawUnsafe(sql, ...params)) as Row[];
  return rows[0] ?? {};
}

/** The overview numbers for a time range; the dashboard and the weekly report both read them here. */
export async function getOverview(range: TimeRange, prisma: PrismaClient = getPrisma()): Promise<Overview> {
  const since = range.since.getTime();
  const until = range.until.getTime();
  const journeys = await one(
    prisma,
    `SELECT count(*) AS messages,
       sum(origin = 'inbound') AS inbound, sum(origin = 'authenticated') AS authenticated,
       sum(origin = 'local') AS local, sum(origin = 'unknown') AS unknownOrigin,
       sum(verdict = 'spam') AS spam, sum(verdict = 'innocent') AS innocent, sum(verdict IS NULL) AS noVerdict,
       sum(filtered) AS filtered, sum(origin = 'inbound' AND filtered = 0 AND delivered > 0) AS bypassed,
       sum(delivered) AS delivered, sum(complete = 0) AS inFlight
     FROM Journey WHERE firstTs >= ? AND firstTs < ? AND parentKey IS NULL`,
    since,
    until,
  );
  const deferred = await one(
    prisma,
    `SELECT count(DISTINCT journeyId) AS n FROM Delivery
     WHERE destination = 'filter' AND status <> 'sent' AND ts >= ? AND ts < ?`,
    since,
    until,
  );
  const trainings = await one(
    prisma,
    `SELECT count(*) AS attempts, sum(outcome = 'applied') AS applied, sum(outcome = 'failed') AS failed,
       sum(outcome = 'unknown') AS unknownOutcome,
       sum(classifiedUser IS NOT NULL AND dspamUser IS NOT NULL AND lower(classifiedUser) <> lower(dspamUser)) AS misdirected
     FROM Training WHERE ts >= ? AND ts < ?`,
    since,
    until,
  );
  const findings = (await prisma.$queryRawUnsafe(
    `SELECT f.severity AS severity, count(DISTINCT f.id) AS n FROM Finding f
     JOIN FindingEvidence e ON e.findingId = f.id
     WHERE f.status = 'open' AND e.ts >= ? AND e.ts < ? GROUP BY f.severity`,
    since,
    until,
  )) as Row[];
  const bySeverity = { high: 0, medium: 0, low: 0 };
  for (const row of findings) {
    const severity = row.severity as keyof typeof bySeverity;
    if (severity in bySeverity) bySeverity[severity] = n(row.n);
  }
  return {
    range,
    messages: n(journeys.messages),
    byOrigin: {
      inbound: n(journeys.inbound),
      authenticated: n(journeys.authenticated),
      local: n(journeys.local),
      unknown: n(journeys.unknownOrigin),
    },
    byVerdict: { spam: n(journeys.spam), innocent: n(journeys.innocent), none: n(journeys.noVerdict) },
    filtered: n(journeys.filtered),
    bypassed: n(journeys.bypassed),
    deferredToFilter: n(deferred.n),
    deliveredCopies: n(journeys.delivered),
    inFlight: n(journeys.inFlight),
    trainings: {
      attempts: n(trainings.attempts),
      applied: n(trainings.applied),
      failed: n(trainings.failed),
      misdirected: n(trainings.misdirected),
      unknown: n(trainings.unknownOutcome),
    },
    openFindings: bySeverity,
  };
}

/**
 * Width of the time buckets of getDailyVolumes / getDailyTrainings (default day); `day` then holds
 * the bucket's start in the server's time zone: 2026-11-22, 2026-11-22 03:00 or 2026-11-22 03:26.
 */
export type Bucket = "day" | "hour" | "minute";
const BUCKET_FORMATS: Record<Bucket, string> = {
  day: "%Y-%m-%d",
  hour: "%Y-%m-%d %H:00",
  minute: "%Y-%m-%d %H:%M",
};

// Rows are first counted per UTC slot (integer arithmetic), then the few slots are put in local
// buckets: SQLite's 'localtime' costs microseconds per call, too much for every journey. Every
// time zone's offset is a whole number of 15 minutes, so a 15-minute slot never straddles a local
// hour or day; minute buckets use one-minute slots.
const slotSeconds = (bucket: Bucket | undefined) => (bucket === "minute" ? 60 : 900);

/** Messages per day (server time zone) by origin and verdict. */
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
  const rows = (await prisma.$queryRawUnsafe(
    `SELECT strftime('${BUCKET_FORMATS[options.bucket ?? "day"]}', slot * ${slotSeconds(options.bucket)}, 'unixepoch', 'localtime') AS day,
       origin, verdict, sum(n) AS messages
     FROM (SELECT firstTs / ${slotSeconds(options.bucket) * 1000} AS slot, origin, coalesce(verdict, 'none') AS verdict, count(*) AS n
       FROM Journey WHERE firstTs >= ? AND firstTs < ? AND parentKey IS NULL GROUP BY slot, origin, verdict)
     GROUP BY day, origin, verdict ORDER BY day`,
    range.since.getTime(),
    range.until.getTime(),
  )) as Row[];
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
  const rows = (await prisma.$queryRawUnsafe(
    `SELECT strftime('${BUCKET_FORMATS[options.bucket ?? "day"]}', slot * ${slotSeconds(options.bucket)}, 'unixepoch', 'localtime') AS day,
       sum(attempts) AS attempts, sum(applied) AS applied, sum(failed) AS failed, sum(misdirected) AS misdirected
     FROM (SELECT ts / ${slotSeconds(options.bucket) * 1000} AS slot, count(*) AS attempts,
         sum(outcome = 'applied') AS applied, sum(outcome = 'failed') AS failed,
         sum(classifiedUser IS NOT NULL AND dspamUser IS NOT NULL AND lower(classifiedUser) <> lower(dspamUser)) AS misdirected
       FROM Training WHERE ts >= ? AND ts < ? GROUP BY slot)
     GROUP BY day ORDER BY day`,
    range.since.getTime(),
    range.until.getTime(),
  )) as Row[];
  return rows.map((r) => ({
    day: String(r.day),
    attempts: n(r.attempts),
    applied: n(r.applied),
    failed: n(r.failed),
    misdirected: n(r.misdirected),
  }));
}

/** The span of time the database covers (first and last message), for default ranges. */
export async function getDataSpan(
  prisma: PrismaClient = getPrisma(),
): Promise<{ first: Date; last: Date } | null> {
  const row = await one(
    prisma,
    `SELECT min(first) AS first, max(last) AS last FROM (
       SELECT min(firstTs) AS first, max(lastTs) AS last FROM Journey
       UNION ALL SELECT min(ts), max(ts) FROM Training)`,
  );
  if (row.first === null || row.first === undefined) return null;
  return { first: new Date(n(row.first)), last: new Date(n(row.last)) };
}
