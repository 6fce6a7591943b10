// The report's sections made from what the shared query functions return (build.ts collects it).
import { duplicatesByRecipient } from "../detect/duplicate-delivery.ts";
import { SEVERITY_RANK } from "../detect/types.ts";
import type { FindingView } from "../queries/findings.ts";
import type { MessageSummary } from "../queries/report-stats.ts";
import { type DailyVolume, ORIGINS } from "../queries/stats.ts";
import type {
  DayVolume,
  DuplicateRow,
  FindingGroup,
  ReportExample,
  ReportFinding,
  VerdictCounts,
  VolumeRow,
} from "./model.ts";
import { daysOf, type ReportPeriod } from "./period.ts";

/** Examples (Message-IDs) kept per finding. */
const EXAMPLES_PER_FINDING = 1;
/** Longer ranges get no per-day chart. */
const MAX_CHART_DAYS = 31;

export function exampleMessageIds(finding: FindingView): string[] {
  const ids = finding.evidence.map((e) => e.messageId).filter((m): m is string => m !== null);
  return [...new Set(ids)].slice(0, EXAMPLES_PER_FINDING);
}

export function toReportFinding(
  f: FindingView,
  period: ReportPeriod,
  firstEver: Date | undefined,
  summaries: Map<string, MessageSummary>,
): ReportFinding {
  const firstSeen = firstEver ?? f.firstSeen;
  return {
    id: f.id,
    kind: f.kind,
    about: f.about,
    filter: f.subject.filter ?? "dspam",
    severity: f.severity,
    summary: f.summary,
    cause: f.cause,
    fix: f.fix,
    count: f.count,
    firstSeen,
    lastSeen: f.lastSeen,
    isNew: firstSeen >= period.since,
    messages: f.messages,
    examples: exampleMessageIds(f).map((id) => toExample(id, f, summaries)),
  };
}

function toExample(messageId: string, f: FindingView, summaries: Map<string, MessageSummary>): ReportExample {
  const summary = summaries.get(messageId);
  const evidence = f.evidence.find((e) => e.messageId === messageId);
  return {
    messageId,
    subject: summary?.subject ?? null,
    sender: summary?.sender ?? null,
    ts: evidence?.ts ?? summary?.firstTs ?? f.lastSeen,
  };
}

/**
 * Groups findings by kind, most severe kind first; the order inside a group is getFindings' order.
 * A group's `messages` is the sum of its findings' (build.ts replaces it with the distinct count).
 */
export function groupFindings(findings: readonly ReportFinding[]): FindingGroup[] {
  const byKind = new Map<string, ReportFinding[]>();
  for (const f of findings) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
  const groups = [...byKind.values()].map((group): FindingGroup => {
    const first = group[0] as ReportFinding;
    const same = group.every((f) => f.cause === first.cause && f.fix === first.fix);
    return {
      kind: first.kind,
      severity: group.reduce(
        (worst, f) => (SEVERITY_RANK[f.severity] > SEVERITY_RANK[worst] ? f.severity : worst),
        first.severity,
      ),
      findings: group,
      messages: group.reduce((n, f) => n + f.messages, 0),
      cause: same ? first.cause : null,
      fix: same ? first.fix : null,
    };
  });
  return groups.sort(
    (a, b) =>
      SEVERITY_RANK[b.severity] - SEVERITY_RANK[a.severity] ||
      b.findings.reduce((n, f) => n + f.count, 0) - a.findings.reduce((n, f) => n + f.count, 0),
  );
}

/** The recipients that got duplicates, from the duplicate-delivery findings' evidence. */
export function duplicateRows(
  open: readonly FindingView[],
  findings: readonly ReportFinding[],
): DuplicateRow[] {
  return open
    .filter((f) => f.kind === "duplicate-delivery")
    .flatMap((f) =>
      duplicatesByRecipient(f.evidence.map((e) => e.detail)).map((r) => ({
        findingId: f.id,
        ...r,
        example: findings.find((x) => x.id === f.id)?.examples[0] ?? null,
      })),
    )
    .sort((a, b) => b.extraCopies - a.extraCopies || a.recipient.localeCompare(b.recipient));
}

function sumVerdicts(rows: readonly DailyVolume[]): VerdictCounts {
  const counts = { spam: 0, innocent: 0, none: 0 };
  for (const row of rows) counts[row.verdict] += row.messages;
  return counts;
}

export function volumeRows(current: readonly DailyVolume[], previous: readonly DailyVolume[]): VolumeRow[] {
  const total = (c: VerdictCounts) => c.spam + c.innocent + c.none;
  const row = (origin: VolumeRow["origin"], cur: VerdictCounts, prev: VerdictCounts): VolumeRow => ({
    origin,
    current: { ...cur, total: total(cur) },
    previousTotal: total(prev),
  });
  const rows = ORIGINS.map((o) =>
    row(
      o,
      sumVerdicts(current.filter((v) => v.origin === o)),
      sumVerdicts(previous.filter((v) => v.origin === o)),
    ),
  ).filter((r) => r.origin !== "unknown" || r.current.total > 0 || r.previousTotal > 0);
  return [...rows, row("total", sumVerdicts(current), sumVerdicts(previous))];
}

export function dailyRows(period: ReportPeriod, volumes: readonly DailyVolume[]): DayVolume[] {
  const days = daysOf(period);
  if (days.length > MAX_CHART_DAYS) return [];
  return days.map((day) => ({ day, ...sumVerdicts(volumes.filter((v) => v.day === day)) }));
}
