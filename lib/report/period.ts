// The time a report covers: an ISO week (Monday 00:00 to the next Monday 00:00, local time) or
// an explicit range. Nothing here reads the clock: callers pass `now`.
import { localDate, localDateTime } from "../core/format.ts";

/** A report's period. NOTE: `key` is persisted (ReportRun.period): "2026-W47" or "<since>..<until>". */
export type ReportPeriod = {
  key: string;
  kind: "week" | "range";
  since: Date;
  /** Exclusive. */
  until: Date;
};

const DAY_MS = 86_400_000;
const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** The ISO year and week of a local date (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOf(date: Date): { year: number; week: number } {
  const thursday = new Date(date.getFullYear(), date.getMonth(), date.getDate() + 3 - weekday(date));
  const year = thursday.getFullYear();
  const week = 1 + Math.floor((localDayNumber(thursday) - localDayNumber(new Date(year, 0, 1))) / 7);
  return { year, week };
}

/** The period of ISO week `week` of ISO year `year`, local midnight to local midnight. */
export function weekPeriod(year: number, week: number): ReportPeriod {
  const jan4 = new Date(year, 0, 4);
  const monday = 4 - weekday(jan4) + (week - 1) * 7;
  return {
    key: `${year}-W${pad(week)}`,
    kind: "week",
    since: new Date(year, 0, monday),
    until: new Date(year, 0, monday + 7),
  };
}

/** Weeks in an ISO year: 53 when December 28 falls in week 53. */
export function weeksInYear(year: number): number {
  return isoWeekOf(new Date(year, 11, 28)).week;
}

/** Parses "2026-W47"; null when it is not a week that exists. */
export function parseWeek(text: string): ReportPeriod | null {
  const match = /^(\d{4})-?W(\d{1,2})$/i.exec(text.trim());
  if (!match) return null;
  const year = Number(match[1]);
  const week = Number(match[2]);
  if (week < 1 || week > weeksInYear(year)) return null;
  return weekPeriod(year, week);
}

/** The week that contains `date`. */
export function weekContaining(date: Date): ReportPeriod {
  const { year, week } = isoWeekOf(date);
  return weekPeriod(year, week);
}

/** The last ISO week that has ended at `now`: the default week of `spamtrail report`. */
export function lastCompleteWeek(now: Date): ReportPeriod {
  return previousPeriod(weekContaining(now));
}

/** An explicit range; its key names both ends (local dates when they are midnights). */
export function rangePeriod(since: Date, until: Date): ReportPeriod {
  return { key: `${formatBound(since)}..${formatBound(until)}`, kind: "range", since, until };
}

/** The period of the same length just before: the week before, or the range before. */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  if (period.kind === "week") {
    return weekContaining(
      new Date(period.since.getFullYear(), period.since.getMonth(), period.since.getDate() - 3),
    );
  }
  const length = period.until.getTime() - period.since.getTime();
  return rangePeriod(new Date(period.since.getTime() - length), period.since);
}

/** "16–22 Nov 2026" (or "30 Nov – 6 Dec 2026"): the days a period covers, for people. */
export function describeDays(period: ReportPeriod): string {
  const first = period.since;
  const last = new Date(period.until.getTime() - 1);
  const month = (d: Date) => d.toLocaleString("en-GB", { month: "short" });
  if (sameDay(first, last)) return `${first.getDate()} ${month(first)} ${first.getFullYear()}`;
  if (first.getFullYear() !== last.getFullYear()) {
    return `${first.getDate()} ${month(first)} ${first.getFullYear()} – ${last.getDate()} ${month(last)} ${last.getFullYear()}`;
  }
  if (first.getMonth() !== last.getMonth()) {
    return `${first.getDate()} ${month(first)} – ${last.getDate()} ${month(last)} ${last.getFullYear()}`;
  }
  return `${first.getDate()}–${last.getDate()} ${month(first)} ${first.getFullYear()}`;
}

/**
 * The period as the report names it: the ISO week ("2026-W47"), or a range's first and last day
 * ("2026-01-01 to 2027-01-01", the days describeDays shows) — or its instants when it does not
 * start and end at midnight.
 */
export function periodName(period: ReportPeriod): string {
  if (period.kind === "week") return period.key;
  if (isMidnight(period.since) && isMidnight(period.until)) {
    const last = new Date(period.until.getFullYear(), period.until.getMonth(), period.until.getDate() - 1);
    return sameDay(period.since, last) ? localDate(last) : `${localDate(period.since)} to ${localDate(last)}`;
  }
  return `${localDateTime(period.since)} to ${localDateTime(period.until)}`;
}

/** The local days of a period as YYYY-MM-DD, in order (getDailyVolumes' day keys). */
export function daysOf(period: ReportPeriod): string[] {
  const days: string[] = [];
  for (let d = period.since; d < period.until; d = new Date(d.getFullYear(), d.getMonth(), d.getDate() + 1)) {
    days.push(localDate(d));
    if (days.length > 366) break;
  }
  return days;
}

export { localDate, localDateTime };

function isMidnight(date: Date): boolean {
  return (
    date.getHours() === 0 &&
    date.getMinutes() === 0 &&
    date.getSeconds() === 0 &&
    date.getMilliseconds() === 0
  );
}

function formatBound(date: Date): string {
  return isMidnight(date) ? localDate(date) : date.toISOString();
}

/** Monday = 0 … Sunday = 6. */
function weekday(date: Date): number {
  return (date.getDay() + 6) % 7;
}

function localDayNumber(date: Date): number {
  return Math.round(Date.UTC(date.getFullYear(), date.getMonth(), date.getDate()) / DAY_MS);
}

function sameDay(a: Date, b: Date): boolean {
  return localDate(a) === localDate(b);
}
