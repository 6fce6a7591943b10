// A date and time of day as a log writes it (`YYYY-MM-DD?HH:MM:SS[.fraction]`, DSPAM's
// `MM/DD/YYYY HH:MM:SS`), read from the groups of a regular expression: the envelopes of
// lib/syslog/envelope.ts and Rspamd's own log file (lib/filters/rspamd/log-line.ts) read it the one
// same way (months from 0, the fraction cut to milliseconds).
import type { LocalTime } from "./envelope.ts";

/** Milliseconds of a fraction of a second as written (its first three digits: cut, not rounded). */
export const fractionMs = (fraction: string | undefined): number =>
  fraction ? Number(fraction.slice(0, 3).padEnd(3, "0")) : 0;

/** Where a date's parts stand in a match: year, month, day, hour, minute, second, fraction (optional). */
export type DateGroups = readonly [number, number, number, number, number, number, number?];

// 2026-12-06T10:33:34.123 and 2026-12-06 10:33:34: year first, the fraction last.
const YEAR_FIRST: DateGroups = [1, 2, 3, 4, 5, 6, 7];

/**
 * The wall-clock time of a match whose `groups` hold the date's parts (by default groups 1 to 7,
 * year first). No zone: the caller decides what it is the local time of (an instant when a zone
 * follows, the machine's zone otherwise).
 */
export function wallClockTime(match: RegExpExecArray, groups: DateGroups = YEAR_FIRST): LocalTime {
  const [year, month, day, hour, minute, second, fraction] = groups;
  return {
    year: Number(match[year]),
    month: Number(match[month]) - 1,
    day: Number(match[day]),
    hour: Number(match[hour]),
    minute: Number(match[minute]),
    second: Number(match[second]),
    ms: fractionMs(fraction === undefined ? undefined : match[fraction]),
  };
}
