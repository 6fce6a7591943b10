// The content filters Spamtrail knows, by the name stored in Verdict.filter and Training.filter:
// how pages, the report and the CLI name each one and its statistics user.
import type { FilterName } from "./verdict.ts";

type FilterInfo = {
  /** The product's own spelling. */
  label: string;
  /** What the filter calls the owner of a statistics store (DSPAM: a user; Rspamd: a Bayes user). */
  userWord: string;
};

const FILTERS: Record<FilterName, FilterInfo> = {
  dspam: { label: "DSPAM", userWord: "DSPAM user" },
  rspamd: { label: "Rspamd", userWord: "Bayes user" },
};

/** The filter's name as people write it; an unknown name (a newer database) as stored. */
export function filterLabel(filter: string): string {
  return FILTERS[filter as FilterName]?.label ?? filter;
}

/** "DSPAM user", "Bayes user": the words for the filter's statistics user. */
export function filterUserWord(filter: string): string {
  return FILTERS[filter as FilterName]?.userWord ?? `${filterLabel(filter)} user`;
}
