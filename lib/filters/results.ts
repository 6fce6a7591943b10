// What a verdict's result says, whichever filter wrote it: Verdict.result keeps each filter's own
// words, and each plug-in (lib/filters/registry.ts) says which of its words are spam or ham.
import { FILTER_PLUGINS } from "./registry.ts";

const union = (pick: (p: (typeof FILTER_PLUGINS)[number]) => readonly string[]) => [
  ...new Set(FILTER_PLUGINS.flatMap(pick)),
];

/** Results that put the message among spam or refuse it (DSPAM's spam classes, Rspamd's spam). */
export const SPAM_RESULTS: readonly string[] = union((p) => p.spamResults);
/** Results that let the message through as wanted mail (DSPAM's innocent and whitelisted, Rspamd's ham). */
export const HAM_RESULTS: readonly string[] = union((p) => p.hamResults);

/** Filters whose retrains count as misdirected whatever their outcome (see FilterPlugin.unappliedCanBeMisdirected). */
export const UNAPPLIED_MISDIRECTED_FILTERS: readonly string[] = FILTER_PLUGINS.filter(
  (p) => p.unappliedCanBeMisdirected,
).map((p) => p.name);

export const isSpamResult = (result: string | undefined): boolean =>
  result !== undefined && SPAM_RESULTS.includes(result);

/** The results as an SQL list literal, for the queries that count verdicts by kind (the words are ours). */
export const sqlList = (results: readonly string[]): string => results.map((r) => `'${r}'`).join(", ");
