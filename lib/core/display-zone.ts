// The one time zone Spamtrail shows and reads times in: SPAMTRAIL_TZ, else the server's own.
// Log dates without a zone are read in the machine's zone (TZ) by lib/syslog, not here: the logs
// were written in it, whatever zone the administrator wants to read them in.

/** A moment as a wall clock shows it in a zone; month 1-12. */
export type WallClock = {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
};

/** The zone a value of SPAMTRAIL_TZ names, or why it names none. */
export function readDisplayZone(
  env: Record<string, string | undefined> = process.env,
): { zone: string } | { error: string } {
  const wanted = env.SPAMTRAIL_TZ?.trim();
  if (!wanted) return { zone: new Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC" };
  try {
    return { zone: new Intl.DateTimeFormat("en-US", { timeZone: wanted }).resolvedOptions().timeZone };
  } catch {
    return {
      error: `SPAMTRAIL_TZ=${JSON.stringify(wanted)} is not a time zone (use an IANA name like Europe/Berlin or UTC)`,
    };
  }
}

let cached: { env: string | undefined; zone: string } | undefined;

/** The display zone (an IANA name). A SPAMTRAIL_TZ that names no zone falls back to the server's (commands refuse it first). */
export function displayZone(): string {
  const env = process.env.SPAMTRAIL_TZ;
  if (cached && cached.env === env) return cached.zone;
  const read = readDisplayZone();
  const zone = "zone" in read ? read.zone : (new Intl.DateTimeFormat().resolvedOptions().timeZone ?? "UTC");
  cached = { env, zone };
  return zone;
}

const formats = new Map<string, Intl.DateTimeFormat>();
function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = formats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formats.set(zone, format);
  }
  return format;
}

/** The wall clock of `date` in the zone. */
export function wallClock(date: Date | number, zone = displayZone()): WallClock {
  const out: Record<string, number> = {};
  for (const part of partsFormat(zone).formatToParts(date))
    if (part.type !== "literal") out[part.type] = Number(part.value);
  return {
    year: out.year ?? 1970,
    month: out.month ?? 1,
    day: out.day ?? 1,
    hour: out.hour ?? 0,
    minute: out.minute ?? 0,
    second: out.second ?? 0,
  };
}

const DAY = 86_400_000;
const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second);

/** The zone's offset from UTC at `date`, in milliseconds. */
export function zoneOffset(date: Date | number, zone = displayZone()): number {
  const t = typeof date === "number" ? date : date.getTime();
  const whole = t - (((t % 1000) + 1000) % 1000);
  return asUtc(wallClock(whole, zone)) - whole;
}

/**
 * The moment a wall clock shows in the zone. Fields may overflow (day 32, hour 24), as with
 * `new Date(y, m, d)`. In a gap (spring forward) the later offset is used, in an overlap the
 * earlier moment.
 */
export function fromWallClock(w: Partial<WallClock> & { year: number }, zone = displayZone()): Date {
  const guess = asUtc({ month: 1, day: 1, hour: 0, minute: 0, second: 0, ...w });
  // The zone's offsets a day either side: at most one change lies between them.
  const offsets = [...new Set([zoneOffset(guess - DAY, zone), zoneOffset(guess + DAY, zone)])];
  const shown = offsets.map((o) => guess - o).filter((t) => t + zoneOffset(t, zone) === guess);
  return new Date(shown.length ? Math.min(...shown) : guess - Math.min(...offsets));
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** YYYY-MM-DD in the zone. */
export function formatDay(date: Date | number, zone = displayZone()): string {
  const w = wallClock(date, zone);
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)}`;
}

/** YYYY-MM-DD HH:MM[:SS] in the zone. */
export function formatDateTime(
  date: Date | number,
  options: { seconds?: boolean; zone?: string } = {},
): string {
  const w = wallClock(date, options.zone ?? displayZone());
  const time = `${pad(w.hour)}:${pad(w.minute)}${options.seconds === false ? "" : `:${pad(w.second)}`}`;
  return `${pad(w.year, 4)}-${pad(w.month)}-${pad(w.day)} ${time}`;
}

const abbreviations = new Map<string, Intl.DateTimeFormat>();

/** The zone's short name at `date` as people read it: UTC, CET, CEST, GMT+3. */
export function zoneAbbreviation(date: Date | number = Date.now(), zone = displayZone()): string {
  let format = abbreviations.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat("en-GB", { timeZone: zone, timeZoneName: "short" });
    abbreviations.set(zone, format);
  }
  return format.formatToParts(date).find((p) => p.type === "timeZoneName")?.value ?? zone;
}

/** "2026-11-22 03:26:56 CET": a moment with the zone named, for terminals and mail. */
export function formatStamp(date: Date | number, options: { seconds?: boolean } = {}): string {
  return `${formatDateTime(date, options)} ${zoneAbbreviation(date)}`;
}

const WEEK = 7 * DAY;
const YEAR = 365 * DAY;
const changesCache = new Map<string, { from: number; offset: number }[]>();

/**
 * Where the zone's offset changes between since and until: the offset from each moment on (the
 * first entry starts at since). A weekly walk with a binary search inside the week finds every
 * change (zones change at most a few times a year, never twice in a week). An unbounded range
 * ("all data" is counted from 1970 to the year 275760) is walked only where mail can be: from 25
 * years back to 2 years ahead.
 */
export function offsetChanges(
  since: number,
  until: number,
  zone = displayZone(),
  now = Date.now(),
): { from: number; offset: number }[] {
  const start = Math.max(since, now - 25 * YEAR);
  const end = Math.min(until, now + 2 * YEAR);
  const key = `${zone}:${Math.floor(start / DAY)}:${Math.ceil(end / DAY)}`;
  const cached = changesCache.get(key);
  if (cached) return [{ from: since, offset: cached[0]?.offset ?? 0 }, ...cached.slice(1)];
  const changes = [{ from: since, offset: zoneOffset(start, zone) }];
  for (let t = start; t < end; t += WEEK) {
    const next = Math.min(t + WEEK, end);
    const before = changes.at(-1)?.offset ?? 0;
    if (zoneOffset(next, zone) === before) continue;
    let low = t;
    let high = next;
    while (high - low > 1000) {
      const mid = low + Math.floor((high - low) / 2000) * 1000;
      if (zoneOffset(mid, zone) === before) low = mid;
      else high = mid;
    }
    changes.push({ from: high, offset: zoneOffset(high, zone) });
  }
  if (changesCache.size > 200) changesCache.clear();
  changesCache.set(key, changes);
  return changes;
}

/**
 * A `from`/`to` value in the display zone: YYYY-MM-DD (midnight; `to` = the end of that day),
 * YYYY-MM-DD[T ]HH:MM (`to` = the end of that minute) or YYYY-MM-DD[T ]HH:MM:SS[.mmm] (that instant).
 */
export function parseLocalDate(value: string | undefined, end: boolean): Date | null {
  if (!value) return null;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/.exec(
    value.trim(),
  );
  if (!m) return null;
  const [year, month, day, hour, minute, second] = m
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const ms = m[7] === undefined ? 0 : Number(m[7].padEnd(3, "0"));
  if (year === undefined || month === undefined || day === undefined) return null;
  if (month < 1 || month > 12 || day < 1 || day > 31 || (hour ?? 0) > 23 || (minute ?? 0) > 59) return null;
  if ((second ?? 0) > 59) return null;
  // A day that does not exist (2026-02-30) is refused, not moved to March.
  if (new Date(Date.UTC(year, month - 1, day)).getUTCDate() !== day) return null;
  const date =
    hour === undefined
      ? fromWallClock({ year, month, day: day + (end ? 1 : 0) })
      : new Date(
          fromWallClock({
            year,
            month,
            day,
            hour,
            minute: minute ?? 0,
            second: (second ?? 0) + (end && second === undefined ? 60 : 0),
          }).getTime() + ms,
        );
  return Number.isNaN(date.getTime()) ? null : date;
}
