import { parseLocalDate } from "../core/display-zone.ts";
import { ORIGINS } from "../core/journey.ts";
import { choiceProblem } from "../core/url-params.ts";
import { FINDING_KINDS } from "../detect/types.ts";
import {
  MESSAGE_STATES,
  type MessageFilters,
  parseMessageFilters,
  VERDICT_FILTERS,
} from "./message-filters.ts";

// The Messages page's address: the filters (message-filters.ts), the view (order, page size,
// page) and what in it could not be read — said on the page, never silently dropped.

export const MESSAGE_SORTS = ["newest", "oldest", "sender", "recipient"] as const;
export type MessageSort = (typeof MESSAGE_SORTS)[number];

export const PAGE_SIZES = [25, 50, 100, 200] as const;
export const DEFAULT_PAGE_SIZE = 50;

/** A search's view: order, page size and page (1-based). */
export type MessageView = { sort: MessageSort; size: number; page: number };

const pick = <T extends string>(allowed: readonly T[], value: string | undefined) =>
  allowed.includes(value as T) ? (value as T) : undefined;

/** Filters (with the from/to range, in the display zone), view and the parameters that could not be read. */
export function parseMessageSearch(params: Record<string, string | undefined>): {
  filters: MessageFilters;
  view: MessageView;
  problems: string[];
} {
  const problems: string[] = [];
  const note = (problem: string | null) => {
    if (problem) problems.push(problem);
  };
  note(choiceProblem("verdict", params.verdict, VERDICT_FILTERS));
  note(choiceProblem("origin", params.origin, ORIGINS));
  note(choiceProblem("state", params.state, MESSAGE_STATES));
  note(choiceProblem("sort", params.sort, MESSAGE_SORTS));
  note(choiceProblem("size", params.size, PAGE_SIZES.map(String)));
  const finding = params.finding?.trim();
  if (finding && !/^\d{1,9}$/.test(finding)) {
    const unknown = finding.split(",").filter((k) => !(FINDING_KINDS as readonly string[]).includes(k));
    if (unknown.length) note(choiceProblem("finding", unknown.join(","), FINDING_KINDS));
  }
  const date = (name: "from" | "to") => {
    const value = params[name]?.trim();
    if (!value) return undefined;
    const parsed = parseLocalDate(value, name === "to");
    if (!parsed) problems.push(`${name}=${value} is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM.`);
    return parsed ?? undefined;
  };
  const pageText = params.page?.trim();
  const page = pageText && /^\d{1,6}$/.test(pageText) && Number(pageText) >= 1 ? Number(pageText) : 1;
  if (pageText && page === 1 && pageText !== "1") problems.push(`page=${pageText} is not a page number.`);
  const filters: MessageFilters = { ...parseMessageFilters(params), since: date("from"), until: date("to") };
  const size = Number(pick(PAGE_SIZES.map(String), params.size) ?? DEFAULT_PAGE_SIZE);
  return { filters, view: { sort: pick(MESSAGE_SORTS, params.sort) ?? "newest", size, page }, problems };
}
