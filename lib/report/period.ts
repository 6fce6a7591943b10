// The time a report covers: an ISO week (Monday 00:00 to the next Monday 00:00 in the display
// zone, SPAMTRAIL_TZ) or an explicit range. Nothing here reads the clock: callers pass `now`.
import { displayZone, fromWallClock, wallClock, zoneAbbreviation } from "../core/display-zone.ts";
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

/** The ISO year and week of a date in the display zone (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeekOf(date: Date): { year: number; week: number } {
  const day = dayNumber(date);
  const thursday = day + 3 - ((day + 3) % 7);
  const year = new Date(thursday * DAY_MS).getUTCFullYear();
  const week = 1 + Math.floor((thursday - Date.UTC(year, 0, 1) / DAY_MS) / 7);
  return { year, week };
}

/** The period of ISO week `week` of ISO year `year`, midnight to midnight in the display zone. */
export function weekPeriod(year: number, week: number): ReportPeriod {
  const jan4 = Date.UTC(year, 0, 4) / DAY_MS;
  const monday = 4 - ((jan4 + 3) % 7) + (week - 1) * 7;
  return {
    key: `${year}-W${pad(week)}`,
    kind: "week",
    since: fromWallClock({ year, month: 1, day: monday }),
    until: fromWallClock({ year, month: 1, day: monday + 7 }),
  };
}

/** Weeks in an ISO year: 53 when December 28 falls in week 53. */
export function weeksInYear(year: number): number {
  return isoWeekOf(fromWallClock({ year, month: 12, day: 28 })).week;
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

/** An explicit range; its key names both ends (dates in the display zone when they are midnights). */
export function rangePeriod(since: Date, until: Date): ReportPeriod {
  return { key: `${formatBound(since)}..${formatBound(until)}`, kind: "range", since, until };
}

/** The period of the same length just before: the week before, or the range before. */
export function previousPeriod(period: ReportPeriod): ReportPeriod {
  if (period.kind === "week") return weekContaining(new Date(period.since.getTime() - 3 * DAY_MS));
  const length = period.until.getTime() - period.since.getTime();
  return rangePeriod(new Date(period.since.getTime() - length), period.since);
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "16–22 Nov 2026" (or "30 Nov – 6 Dec 2026"): the days a period covers, for people. */
export function describeDays(period: ReportPeriod): string {
  const first = wallClock(period.since);
  const last = wallClock(period.until.getTime() - 1);
  const month = (w: { month: number }) => MONTHS[w.month - 1] ?? "";
  if (sameDay(period.since, new Date(period.until.getTime() - 1)))
    return `${first.day} ${month(first)} ${first.year}`;
  if (first.year !== last.year) {
    return `${first.day} ${month(first)} ${first.year} – ${last.day} ${month(last)} ${last.year}`;
  }
  if (first.month !== last.month) {
    return `${first.day} ${month(first)} – ${last.day} ${month(last)} ${last.year}`;
  }
  return `${first.day}–${last.day} ${month(first)} ${first.year}`;
}

/**
 * The period as the report names it: the ISO week ("2026-W47"), or a range's first and last day
 * ("2026-01-01 to 2027-01-01", the days describeDays shows) — or its instants when it does not
 * start and end at midnight.
 */
export function periodName(period: ReportPeriod): string {
  if (period.kind === "week") return period.key;
  if (isMidnight(period.since) && isMidnight(period.until)) {
    const w = wallClock(period.until);
    const last = fromWallClock({ year: w.year, month: w.month, day: w.day - 1 });
    return sameDay(period.since, last) ? localDate(last) : `${localDate(period.since)} to ${localDate(last)}`;
  }
  return `${localDateTime(period.since)} to ${localDateTime(period.until)}`;
}

/** The days of a period as YYYY-MM-DD in the display zone, in order (getDailyVolumes' day keys). */
export function daysOf(period: ReportPeriod): string[] {
  const days: string[] = [];
  for (let d = period.since; d < period.until; ) {
    days.push(localDate(d));
    if (days.length > 366) break;
    const w = wallClock(d);
    d = fromWallClock({ year: w.year, month: w.month, day: w.day + 1 });
  }
  return days;
}

export { localDate, localDateTime };

/** "times in Europe/Berlin (CET)": the zone the report's times are in, named. */
export function zoneNote(at: Date): string {
  const zone = displayZone();
  const short = zoneAbbreviation(at);
  return short === zone ? `times in ${zone}` : `times in ${zone} (${short})`;
}

function isMidnight(date: Date): boolean {
  const w = wallClock(date);
  return w.hour === 0 && w.minute === 0 && w.second === 0 && date.getMilliseconds() === 0;
}

function formatBound(date: Date): string {
  return isMidnight(date) ? localDate(date) : date.toISOString();
}

/** Days since the epoch of the calendar day `date` falls on in the display zone. */
function dayNumber(date: Date): number {
  const w = wallClock(date);
  return Date.UTC(w.year, w.month - 1, w.day) / DAY_MS;
}

function sameDay(a: Date, b: Date): boolean {
  return localDate(a) === localDate(b);
}
