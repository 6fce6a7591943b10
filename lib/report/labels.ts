// Words the report uses for periods, origins and kinds of unfiltered mail, shared by both renderers.
import { logValue, num } from "./display.ts";
import type { FindingGroup, ReportData, UnfilteredRow, VolumeRow } from "./model.ts";
import { describeDays } from "./period.ts";

/**
 * Findings listed per kind in the mail; the rest are counted and linked. Those still open were
 * listed, with examples, in the week they were new: two remind of them (and keep a busy week's
 * HTML under Gmail's clipping size).
 */
export function findingsShown(group: FindingGroup): number {
  return group.findings[0]?.isNew === false ? 2 : 3;
}

/** Rows of the per-user and per-recipient tables; the rest are counted (the worst come first). */
export const TABLE_ROWS = 12;

export const ORIGIN_LABELS: Record<VolumeRow["origin"], string> = {
  inbound: "From the Internet",
  authenticated: "Logged-in users",
  local: "Made on the server",
  unknown: "Unknown",
  total: "Total",
};

export const UNFILTERED_LABELS: Record<UnfilteredRow["what"], string> = {
  authenticated: "Sent by logged-in users",
  local: "Made on the server (scripts, cron, bounces)",
  outgoing: "Outgoing to other servers",
};

/** "Week 47: 16–22 Nov 2026", or the days of a range. */
export function reportTitle(data: ReportData): string {
  const days = describeDays(data.period);
  return data.period.kind === "week" ? `Week ${Number(data.period.key.slice(6))}: ${days}` : days;
}

/** "last week", or "the period before" for a range. */
export function previousLabel(data: ReportData): string {
  return data.period.kind === "week" ? "last week" : "the period before";
}

/** "this week", or "in this period" for a range. */
export function currentLabel(data: ReportData): string {
  return data.period.kind === "week" ? "this week" : "in this period";
}

/** How many open findings had evidence in the period: "3 new this week, 2 seen again" or "none seen this week". */
export function openNote(data: ReportData): string {
  const f = data.findings;
  const here = currentLabel(data);
  if (f.newCount + f.ongoingCount === 0) return `none seen ${here}`;
  const parts = [
    f.newCount > 0 ? `${f.newCount} new ${here}` : "",
    f.ongoingCount > 0 ? `${f.ongoingCount} seen again` : "",
  ];
  return parts.filter(Boolean).join(", ");
}

/** Each server's messages in one line, for a report of several servers ("" for one): "mx1 1,234 messages (56 spam) · mx2 …". */
export function serversLine(data: ReportData): string {
  if (data.servers.length < 2) return "";
  return data.servers
    .map(
      (s) =>
        `${logValue(s.host, 40)} ${num(s.messages)} ${s.messages === 1 ? "message" : "messages"} (${num(s.spam)} spam)`,
    )
    .join(" · ");
}
