import { formatDay, fromWallClock, parseLocalDate, wallClock } from "../core/display-zone.ts";
import { hostParam } from "./message-filters.ts";
import type { Bucket, TimeRange } from "./stats.ts";

/** The presets of the time-range picker: "all data", or a window counted back from now. */
export const RANGE_PRESETS = [
  { key: "all", label: "All data" },
  { key: "1d", label: "Last day" },
  { key: "7d", label: "Last 7 days" },
  { key: "30d", label: "Last 30 days" },
] as const;
export type RangePreset = (typeof RANGE_PRESETS)[number]["key"] | "custom";

export type ResolvedRange = TimeRange & {
  preset: RangePreset;
  /** The `from` / `to` values as typed (date or date-time), for the form. */
  from: string;
  to: string;
  /** URL parameters that could not be read, each said in a sentence (the page shows them). */
  problems: string[];
  /** A preset window that holds no data: the window of the same length that ends with the newest data. */
  emptyWindow: TimeRange | null;
};

const DAY = 24 * 60 * 60 * 1000;
const PRESET_MS: Record<string, number> = { "1d": DAY, "7d": 7 * DAY, "30d": 30 * DAY };
const DATE_FORMS = "YYYY-MM-DD or YYYY-MM-DD HH:MM";

/** A date parameter that could not be read, as the sentence the page shows; null when it reads. */
export function dateProblem(name: string, value: string | undefined): string | null {
  if (!value?.trim() || parseLocalDate(value, false)) return null;
  return `${name}=${value} is not a date: use ${DATE_FORMS}.`;
}

/** A date as a `from`/`to` value to the millisecond (display zone): a link to a list covers exactly the range counted. */
export function toExactInput(date: Date): string {
  const w = wallClock(date);
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${toLocalInput(date).replace(" ", "T")}:${pad(w.second)}.${pad(date.getMilliseconds(), 3)}`;
}

/** A date as the range form shows it, in the display zone: YYYY-MM-DD HH:MM. */
export function toLocalInput(date: Date): string {
  const w = wallClock(date);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${formatDay(date)} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** A date as a URL's `from`/`to` value, in the display zone: YYYY-MM-DDTHH:MM. */
export function toUrlDate(date: Date): string {
  return toLocalInput(date).replace(" ", "T");
}

/**
 * The time range a page shows, from its URL: `range=all|1d|7d|30d` (a window back from now) or
 * `from`/`to`; by default the whole span of the data (so a sample from last year shows up).
 */
export function resolveRange(
  params: { range?: string; from?: string; to?: string; host?: string },
  span: { first: Date; last: Date } | null,
  now: Date = new Date(),
): ResolvedRange {
  const range = resolveTimes(params, span, now);
  const host = hostParam(params.host);
  if (params.host?.trim() && !host) range.problems.push(`host=${params.host} is not a host name.`);
  return host ? { ...range, host } : range;
}

function resolveTimes(
  params: { range?: string; from?: string; to?: string },
  span: { first: Date; last: Date } | null,
  now: Date,
): ResolvedRange {
  const last = span ? new Date(span.last.getTime() + 1000) : now;
  const first = span ? span.first : new Date(last.getTime() - DAY);
  const problems = [dateProblem("from", params.from), dateProblem("to", params.to)].filter(
    (p): p is string => p !== null,
  );
  const from = parseLocalDate(params.from, false);
  const to = parseLocalDate(params.to, true);
  const base = { problems, emptyWindow: null };
  if (from || to) {
    const since = from ?? first;
    const until = to ?? last;
    if (since < until)
      return { ...base, since, until, preset: "custom", from: params.from ?? "", to: params.to ?? "" };
    problems.push(`The range ends before it starts (from=${params.from ?? ""}, to=${params.to ?? ""}).`);
  }
  const length = params.range ? PRESET_MS[params.range] : undefined;
  if (params.range && length === undefined && params.range !== "all")
    problems.push(`range=${params.range} is not a range: use all, 1d, 7d or 30d.`);
  if (length !== undefined) {
    // Up to the next whole minute: the same window (and the dashboard's remembered figures, keyed
    // by range: lib/queries/dashboard-reads.ts) for a minute, instead of a new one per request.
    const until = new Date(Math.ceil(now.getTime() / 60_000) * 60_000);
    const since = new Date(until.getTime() - length);
    const emptyWindow =
      span && last <= since
        ? { since: new Date(Math.max(first.getTime(), last.getTime() - length)), until: last }
        : null;
    return { ...base, emptyWindow, since, until, preset: params.range as RangePreset, from: "", to: "" };
  }
  return { ...base, since: first, until: last, preset: "all", from: "", to: "" };
}

/** Bucket width for charts of a range: about 20-120 bars. */
export function bucketFor(range: TimeRange): Bucket {
  const span = range.until.getTime() - range.since.getTime();
  if (span <= 2 * 60 * 60 * 1000) return "minute";
  if (span <= 4 * DAY) return "hour";
  return "day";
}

const pad = (n: number) => String(n).padStart(2, "0");

/** A bucket's label (getDailyVolumes' `day`) for a moment, in the display zone. */
export function bucketLabel(date: Date | number, bucket: Bucket): string {
  const day = formatDay(date);
  if (bucket === "day") return day;
  const w = wallClock(date);
  return bucket === "hour" ? `${day} ${pad(w.hour)}:00` : `${day} ${pad(w.hour)}:${pad(w.minute)}`;
}

/** Every bucket label between since and until, as getDailyVolumes labels them (display zone). */
export function bucketLabels(range: TimeRange, bucket: Bucket, max = 400): string[] {
  const labels: string[] = [];
  const step = bucket === "minute" ? 60_000 : 3_600_000;
  let cursor = range.since.getTime();
  if (bucket !== "day") cursor -= cursor % step;
  while (cursor < range.until.getTime() && labels.length < max) {
    const label = bucketLabel(cursor, bucket);
    if (labels.at(-1) !== label) labels.push(label);
    if (bucket === "day") {
      const w = wallClock(cursor);
      cursor = fromWallClock({ year: w.year, month: w.month, day: w.day + 1 }).getTime();
    } else cursor += step;
  }
  return labels;
}

/** The `from`/`to` URL parameters of one bucket (its label as getDailyVolumes gives it). */
export function bucketQuery(label: string, bucket: Bucket): { from: string; to: string } {
  const value = label.replace(" ", "T");
  // `to` is read as the end of the day or minute it names.
  return { from: value, to: bucket === "hour" ? `${value.slice(0, 14)}59` : value };
}

/** The range as URL parameters (for links that keep it). */
export function rangeQuery(range: ResolvedRange): Record<string, string> {
  const host: Record<string, string> = range.host ? { host: range.host } : {};
  if (range.preset === "custom") return { from: range.from, to: range.to, ...host };
  return range.preset === "all" ? host : { range: range.preset, ...host };
}

/**
 * The range as the parameters of a link to a list: the exact instants counted (a preset such as
 * "last day" moves as new mail arrives), none for all data.
 */
export function exactRangeQuery(range: ResolvedRange): Record<string, string> {
  const host: Record<string, string> = range.host ? { host: range.host } : {};
  return range.preset === "all"
    ? host
    : { from: toExactInput(range.since), to: toExactInput(range.until), ...host };
}

const FOREVER: TimeRange = { since: new Date(0), until: new Date(8.64e15) };

/** The range queries count in: all data is unbounded, so that mail arriving meanwhile is in it too. */
export function queryRange(range: ResolvedRange): TimeRange {
  const times = range.preset === "all" ? FOREVER : { since: range.since, until: range.until };
  return range.host ? { ...times, host: range.host } : times;
}

/** A range was asked for (preset or from/to) rather than all data. */
export function isBounded(range: ResolvedRange): boolean {
  return range.preset !== "all";
}
