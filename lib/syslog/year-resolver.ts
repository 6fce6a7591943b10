import type { EnvelopeTime, YearlessTime } from "./envelope.ts";

/**
 * Gives year-less syslog dates a year, reading one file front to back.
 * The first line's year is `year` when given, else VRL's resolve_year rule against the reference
 * date (the file's mtime): a month later than the reference month belongs to the year before.
 * A jump back of more than six months (Dec → Jan) moves to the next year; a jump forward of more
 * than six months (a late Dec line after Jan) belongs to the year before, without changing state.
 */
export class YearResolver {
  private year: number | undefined;
  private lastMonth = -1;
  private hourCacheKey = -1;
  private hourCacheMs = 0;

  constructor(
    private readonly reference: Date,
    explicitYear?: number,
  ) {
    this.year = explicitYear;
  }

  /** Epoch milliseconds of an envelope time; local times use the process time zone (TZ). */
  toEpochMs(time: EnvelopeTime): number {
    if (time.kind === "instant") return time.ms;
    if (time.kind === "local") return this.local(time.time.year, time.time);
    return this.local(this.yearFor(time.time), time.time);
  }

  private yearFor(time: YearlessTime): number {
    if (this.year === undefined) {
      const refMonth = this.reference.getMonth();
      this.year = time.month > refMonth ? this.reference.getFullYear() - 1 : this.reference.getFullYear();
      this.lastMonth = time.month;
      return this.year;
    }
    if (this.lastMonth === -1) this.lastMonth = time.month;
    if (time.month < this.lastMonth - 6) {
      this.year += 1;
      this.lastMonth = time.month;
    } else if (time.month > this.lastMonth + 6) {
      return this.year - 1;
    } else if (time.month > this.lastMonth) {
      this.lastMonth = time.month;
    }
    return this.year;
  }

  // Date construction in the local zone is slow; lines come in hour-long runs, so cache the hour.
  private local(year: number, t: YearlessTime): number {
    const key = ((year * 12 + t.month) * 32 + t.day) * 24 + t.hour;
    if (key !== this.hourCacheKey) {
      this.hourCacheKey = key;
      this.hourCacheMs = new Date(year, t.month, t.day, t.hour, 0, 0, 0).getTime();
    }
    return this.hourCacheMs + t.minute * 60_000 + t.second * 1000 + t.ms;
  }
}
