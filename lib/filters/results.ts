// What a verdict's result says, whichever filter wrote it (Verdict.result keeps each filter's own
// words: DSPAM's class names, Rspamd's spam | ham | deferred | unknown from lib/filters/verdict.ts).

/** Results that put the message in the spam folder or refuse it: DSPAM's spam classes and Rspamd's spam. */
export const SPAM_RESULTS: readonly string[] = ["spam", "virus", "blacklisted", "blocklisted"];
/** Results that let the message through as wanted mail: DSPAM's innocent and whitelisted, Rspamd's ham. */
export const HAM_RESULTS: readonly string[] = ["innocent", "whitelisted", "ham"];

export const isSpamResult = (result: string | undefined): boolean =>
  result !== undefined && SPAM_RESULTS.includes(result);

/** The results as an SQL list literal, for the queries that count verdicts by kind. */
export const sqlList = (results: readonly string[]): string => results.map((r) => `'${r}'`).join(", ");
