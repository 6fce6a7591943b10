import { getFiltersInUse } from "./filters-in-use.ts";
import { type FindingSummary, listFindings } from "./finding-list.ts";
import { getHealthFacts, type HealthFacts } from "./health-checks.ts";
import { type Cached, cachedRead } from "./read-cache.ts";
import {
  type Bucket,
  type DailyTraining,
  type DailyVolume,
  getDailyTrainings,
  getDailyVolumes,
  getDataSpan,
  getHosts,
  getOverview,
  type Overview,
  type TimeRange,
} from "./stats.ts";
import { bucketFor, queryRange, resolveRange } from "./time-range.ts";
import { getUserHealth, type UserHealth } from "./users.ts";

// The dashboard's heavy reads, remembered for a few seconds (read-cache.ts) under one key each, so
// the pages and the warm-up at server start share them.

const span = (range: TimeRange) => `${range.since.getTime()}-${range.until.getTime()}@${range.host ?? ""}`;

/** The mail servers of the database (the host picker is shown when there are several). */
export function readHosts(): Promise<Cached<string[]>> {
  return cachedRead("hosts", () => getHosts());
}

/** The filters whose verdicts or retrainings the database holds, as the pages name them. */
export async function readFiltersInUse(): Promise<string[]> {
  return (await cachedRead("filters", () => getFiltersInUse())).value;
}

/** First and last message time (the default range of every page). */
export function readDataSpan(): Promise<Cached<{ first: Date; last: Date } | null>> {
  return cachedRead("data-span", () => getDataSpan());
}

/** The overview numbers, its health checks' facts and the open findings of a range, and how old they are. */
export async function readOverview(
  range: TimeRange,
): Promise<{ overview: Overview; health: HealthFacts; open: FindingSummary[]; asOf: Date }> {
  const [overview, open] = await Promise.all([
    cachedRead(`overview:${span(range)}`, () => getOverview(range)),
    cachedRead(`open-findings:${span(range)}`, () =>
      listFindings({ since: range.since, until: range.until, host: range.host, statuses: ["open"] }),
    ),
  ]);
  const health = await cachedRead(`health:${span(range)}`, () => getHealthFacts(overview.value, range));
  return {
    overview: overview.value,
    health: health.value,
    open: open.value,
    asOf: new Date(Math.min(overview.at.getTime(), open.at.getTime(), health.at.getTime())),
  };
}

/** Messages and retraining per time bucket for the overview's charts. */
export async function readCharts(
  range: TimeRange,
  bucket: Bucket,
): Promise<{ volumes: DailyVolume[]; trainings: DailyTraining[] }> {
  const [volumes, trainings] = await Promise.all([
    cachedRead(`volumes:${bucket}:${span(range)}`, () => getDailyVolumes(range, undefined, { bucket })),
    cachedRead(`trainings:${bucket}:${span(range)}`, () => getDailyTrainings(range, undefined, { bucket })),
  ]);
  return { volumes: volumes.value, trainings: trainings.value };
}

/** Training health of every user in a range. */
export async function readUserHealth(range: TimeRange): Promise<UserHealth[]> {
  return (await cachedRead(`user-health:${span(range)}`, () => getUserHealth(range))).value;
}

/** Computes what the first visitor would wait for (overview, charts, users of all data) at server start. */
export async function prewarmDashboard(): Promise<void> {
  const range = resolveRange({}, (await readDataSpan()).value);
  await readOverview(queryRange(range));
  await readCharts(range, bucketFor(range));
  await readUserHealth(queryRange(range));
}
