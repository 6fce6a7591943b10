import type { Bucket, TimeRange } from "./stats.ts";

/** The presets of the time-range picker, relative to the newest data (not the clock: old logs work too). */
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
};

const DAY = 24 * 60 * 60 * 1000;
const PRESET_MS: Record<string, number> = { "1d": DAY, "7d": 7 * DAY, "30d": 30 * DAY };

/**
 * A `from`/`to` value: YYYY-MM-DD (local midnight; `to` = end of that day), YYYY-MM-DDTHH:MM
 * (`to` = end of that minute) or YYYY-MM-DDTHH:MM:SS[.mmm] (that instant), local time.
 */
export function parseLocalDate(value: string | undefined, end: boolean): Date | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(
    value.trim(),
  );
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map((part) => (part === undefined ? undefined : Number(part)));
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0"));
  if (y === undefined || mo === undefined || d === undefined) return null;
  const date =
    h === undefined
      ? new Date(y, mo - 1, d + (end ? 1 : 0))
      : new Date(y, mo - 1, d, h, mi ?? 0, (s ?? 0) + (end && s === undefined ? 60 : 0), ms);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** A date as a `from`/`to` value to the millisecond: a link to a list covers exactly the range counted. */
export function toExactInput(date: Date): string {
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return `${toLocalInput(date)}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** A date as the picker's datetime-local value in the server's zone. */
export function toLocalInput(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/**
 * The time range a page shows, from its URL: `range=all|1d|7d|30d` or `from`/`to`; by default the
 * whole span of the data (so a sample from last year shows up), ending at its newest line.
 */
export function resolveRange(
  params: { range?: string; from?: string; to?: string },
  span: { first: Date; last: Date } | null,
): ResolvedRange {
  const last = span ? new Date(span.last.getTime() + 1000) : new Date();
  const first = span ? span.first : new Date(last.getTime() - DAY);
  const from = parseLocalDate(params.from, false);
  const to = parseLocalDate(params.to, true);
  if (from || to) {
    const since = from ?? first;
    const until = to ?? last;
    if (since < until)
      return { since, until, preset: "custom", from: params.from ?? "", to: params.to ?? "" };
  }
  const length = params.range ? PRESET_MS[params.range] : undefined;
  if (length !== undefined) {
    const since = new Date(Math.max(first.getTime(), last.getTime() - length));
    return { since, until: last, preset: params.range as RangePreset, from: "", to: "" };
  }
  return { since: first, until: last, preset: "all", from: "", to: "" };
}

/** Bucket width for charts of a range: about 20-120 bars. */
export function bucketFor(range: TimeRange): Bucket {
  const span = range.until.getTime() - range.since.getTime();
  if (span <= 2 * 60 * 60 * 1000) return "minute";
  if (span <= 4 * DAY) return "hour";
  return "day";
}

/** Every bucket label between since and until, as getDailyVolumes labels them (server time zone). */
export function bucketLabels(range: TimeRange, bucket: Bucket, max = 400): string[] {
  const pad = (n: number) => String(n).padStart(2, "0");
  const label = (d: Date) => {
    const day = `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
    if (bucket === "day") return day;
    return bucket === "hour"
      ? `${day} ${pad(d.getHours())}:00`
      : `${day} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
  };
  const cursor = new Date(range.since);
  if (bucket === "day") cursor.setHours(0, 0, 0, 0);
  else if (bucket === "hour") cursor.setMinutes(0, 0, 0);
  else cursor.setSeconds(0, 0);
  const labels: string[] = [];
  while (cursor < range.until && labels.length < max) {
    labels.push(label(cursor));
    if (bucket === "day") cursor.setDate(cursor.getDate() + 1);
    else if (bucket === "hour") cursor.setHours(cursor.getHours() + 1);
    else cursor.setMinutes(cursor.getMinutes() + 1);
  }
  return labels;
}

/** The range as URL parameters (for links that keep it). */
export function rangeQuery(range: ResolvedRange): Record<string, string> {
  if (range.preset === "custom") return { from: range.from, to: range.to };
  return range.preset === "all" ? {} : { range: range.preset };
}

/**
 * The range as the parameters of a link to a list: the exact instants counted (a preset such as
 * "last day" moves as new mail arrives), none for all data.
 */
export function exactRangeQuery(range: ResolvedRange): Record<string, string> {
  return range.preset === "all" ? {} : { from: toExactInput(range.since), to: toExactInput(range.until) };
}

const FOREVER: TimeRange = { since: new Date(0), until: new Date(8.64e15) };

/** The range queries count in: all data is unbounded, so that mail arriving meanwhile is in it too. */
export function queryRange(range: ResolvedRange): TimeRange {
  return range.preset === "all" ? FOREVER : { since: range.since, until: range.until };
}

/** A range was asked for (preset or from/to) rather than all data. */
export function isBounded(range: ResolvedRange): boolean {
  return range.preset !== "all";
}
