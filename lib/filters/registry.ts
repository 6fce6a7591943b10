// The content filters Spamtrail knows, by the name stored in Verdict.filter and Training.filter.
// Adding a filter: its folder (lib/filters/<name>/) exports a FilterPlugin, listed here once.
import type { FileKind } from "../ingest/file-kind.ts";
import { dspam } from "./dspam/plugin.ts";
import type { FilterPlugin } from "./plugin.ts";
import { rspamd } from "./rspamd/plugin.ts";
import type { FilterName } from "./verdict.ts";

const PLUGINS: Record<FilterName, FilterPlugin> = { dspam, rspamd };

/** Every filter, in the order pages list them. */
export const FILTER_PLUGINS: readonly FilterPlugin[] = Object.values(PLUGINS);

/** The plug-in of a stored filter name; undefined for a name this version does not know. */
export function filterPlugin(filter: string): FilterPlugin | undefined {
  return PLUGINS[filter as FilterName];
}

/** The plug-in whose own log files have this kind (DSPAM's system.log…); undefined for syslog, Dovecot's. */
export function pluginOfFileKind(kind: FileKind): FilterPlugin | undefined {
  return FILTER_PLUGINS.find((p) => p.fileKinds.includes(kind));
}

/** The filter's name as people write it; an unknown name (a newer database) as stored. */
export function filterLabel(filter: string): string {
  return filterPlugin(filter)?.label ?? filter;
}

/** The filters a database holds, as a text names them: "DSPAM", "DSPAM and Rspamd"; none: "the content filter". */
export function filtersLabel(filters: readonly string[]): string {
  return filters.length === 0 ? "the content filter" : filters.map(filterLabel).join(" and ");
}

/** The statistics user's word for the filters a database holds: one filter's own, else "statistics user". */
export function filtersUserWord(filters: readonly string[]): string {
  return filters.length === 1 ? filterUserWord(filters[0] as string) : "statistics user";
}

/** A per-user row's name: with its filter's when the database holds several ("carol@example.com (Rspamd)"). */
export function userOfRow(row: { user: string; filter: string | null }, filters: readonly string[]): string {
  return filters.length > 1 && row.filter !== null ? `${row.user} (${filterLabel(row.filter)})` : row.user;
}

/** "DSPAM user", "Bayes user": the words for the filter's statistics user. */
export function filterUserWord(filter: string): string {
  return filterPlugin(filter)?.userWord ?? `${filterLabel(filter)} user`;
}
