// The report's one-line verdict: "healthy", or what needs attention, from the period's numbers.

import type { Overview } from "../queries/stats.ts";
import type { FindingGroup, ReportVerdict } from "./model.ts";

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Decides the verdict: attention when a high or medium finding is open, no-data when nothing was logged. */
export function decideVerdict(overview: Overview, groups: readonly FindingGroup[]): ReportVerdict {
  const pressing = groups.filter((g) => g.severity !== "low");
  const reasons = pressing.map(reasonFor);
  const filterReasons = filterTrouble(overview, groups);
  if (overview.messages === 0 && overview.trainings.attempts === 0) {
    return {
      status: "no-data",
      headline: "No mail was logged in this period: is Spamtrail still reading the mail logs?",
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
  if (overview.bypassed > 0) reasons.push(`${plural(overview.bypassed, "inbound message")} bypassed DSPAM`);
  if (overview.deferredToFilter > 0) {
    reasons.push(`${plural(overview.deferredToFilter, "message")} could not be handed to DSPAM at first`);
  }
  return reasons;
}

function reasonFor(group: FindingGroup): string {
  const n = group.findings.length;
  const count = group.findings.reduce((sum, f) => sum + f.count, 0);
  const messages = group.findings.reduce((sum, f) => sum + f.messages, 0);
  switch (group.kind) {
    case "duplicate-delivery":
      return `${plural(n, "address", "addresses")} received duplicate copies of ${plural(messages, "message")}`;
    case "classified-under-alias":
      return `${plural(messages, "message")} judged under ${n === 1 ? "a dictionary" : `${n} dictionaries`} nobody can retrain`;
    case "training-misdirected":
      return `${plural(count, "retraining")} went to the wrong DSPAM user and changed nothing`;
    case "training-failed":
      return `${plural(count, "retraining")} failed`;
    case "verdict-on-authenticated":
      return `${plural(messages, "message")} from logged-in users ${messages === 1 ? "was" : "were"} filtered like mail from strangers`;
    case "auth-on-port-25":
      return "port 25 accepts logins, so users' own mail is filtered";
    case "verdict-on-outgoing":
      return `${plural(messages, "outgoing message")} went through DSPAM`;
    case "verdict-on-local":
      return `${plural(messages, "message")} made on the server went through DSPAM`;
    case "dspam-user-sprawl":
      return `${plural(n, "DSPAM dictionary", "DSPAM dictionaries")} that nobody trains`;
    case "filter-problem":
      return `the content filter had ${plural(count, "problem")}`;
  }
}
