// The report's one-line verdict: "healthy", or what needs attention, from the period's numbers.

import { FINDING_DEFINITIONS } from "../detect/kinds.ts";
import { filtersLabel, filtersUserWord } from "../filters/registry.ts";
import { noMailLogged } from "../queries/range-activity.ts";
import type { Overview } from "../queries/stats.ts";
import type { FindingGroup, ReportVerdict } from "./model.ts";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Decides the verdict: attention when a high or medium finding is open, no-data when nothing was logged. */
export function decideVerdict(
  overview: Overview,
  groups: readonly FindingGroup[],
  anyMail = overview.messages > 0 || overview.trainings.attempts > 0,
): ReportVerdict {
  const pressing = groups.filter((g) => g.severity !== "low");
  const reasons = pressing.map(reasonFor);
  const filterReasons = filterTrouble(overview, groups);
  if (!anyMail) {
    return {
      status: "no-data",
      headline: `${noMailLogged(overview.range)} Is Spamtrail still reading the mail logs?`,
      short: "no mail logged",
      reasons: [],
    };
  }
  const all = [...filterReasons, ...reasons];
  if (all.length === 0) {
    const notes = groups.reduce((sum, g) => sum + g.findings.length, 0);
    return {
      status: "healthy",
      headline:
        notes === 0
          ? "Healthy: every message took its expected path through the filter."
          : `Healthy: nothing urgent, ${plural(notes, "low-severity note")}.`,
      short: "healthy",
      reasons: [],
    };
  }
  const findings = groups.flatMap((g) => g.findings);
  const high = findings.filter((f) => f.severity === "high").length;
  const medium = findings.filter((f) => f.severity === "medium").length;
  const counts = [high ? `${high} high` : "", medium ? `${medium} medium` : ""].filter(Boolean).join(" and ");
  return {
    status: "attention",
    headline: counts
      ? `Needs attention: ${counts} ${high + medium === 1 ? "finding" : "findings"}.`
      : `Needs attention: ${all[0]}.`,
    short: counts
      ? `needs attention: ${counts} ${high + medium === 1 ? "finding" : "findings"}`
      : "needs attention",
    reasons: all,
  };
}

function filterTrouble(overview: Overview, groups: readonly FindingGroup[]): string[] {
  if (groups.some((g) => g.kind === "filter-problem")) return [];
  const reasons: string[] = [];
  const filter = filtersLabel(overview.filters);
  if (overview.bypassed > 0)
    reasons.push(`${plural(overview.bypassed, "inbound message")} bypassed ${filter}`);
  if (overview.deferredToFilter > 0) {
    reasons.push(`${plural(overview.deferredToFilter, "message")} could not be handed to ${filter} at first`);
  }
  return reasons;
}

function reasonFor(group: FindingGroup): string {
  const filters = [...new Set(group.findings.map((f) => f.filter))];
  return FINDING_DEFINITIONS[group.kind].reason({
    filter: filtersLabel(filters),
    userWord: filtersUserWord(filters),
    findings: group.findings.length,
    evidence: group.findings.reduce((sum, f) => sum + f.count, 0),
    messages: group.messages,
  });
}
