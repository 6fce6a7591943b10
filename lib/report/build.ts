// Collects the report's data through the shared query functions (lib/queries): the dashboard and
// the report read the same numbers.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import { SEVERITY_RANK } from "../detect/types.ts";
import { getReportConfig } from "../queries/config-audit.ts";
import { type FindingView, getFindings } from "../queries/findings.ts";
import {
  getFindingsFirstSeen,
  getMailHosts,
  getMessageSummaries,
  getQuietOpenFindings,
  type MessageSummary,
} from "../queries/report-stats.ts";
import { type DailyVolume, getDailyVolumes, getOverview, ORIGINS } from "../queries/stats.ts";
import { getUserHealth } from "../queries/users.ts";
import type {
  DayVolume,
  DuplicateRow,
  FindingGroup,
  ReportData,
  ReportExample,
  ReportFinding,
  UnfilteredRow,
  VerdictCounts,
  VolumeRow,
} from "./model.ts";
import { daysOf, previousPeriod, type ReportPeriod } from "./period.ts";
import { decideVerdict } from "./verdict.ts";

/** Examples (Message-IDs) kept per finding. */
const EXAMPLES_PER_FINDING = 1;
/** Longer ranges get no per-day chart. */
const MAX_CHART_DAYS = 31;

/** Builds the report of one period from the database; `now` is when it is generated. */
export async function buildReport(
  period: ReportPeriod,
  options: { prisma: PrismaClient; now: Date },
): Promise<ReportData> {
  const { prisma } = options;
  const previous = previousPeriod(period);
  const [overview, previousOverview, volumes, previousVolumes, open, silenced, quiet, users, hosts, config] =
    await Promise.all([
      getOverview(period, prisma),
      getOverview(previous, prisma),
      getDailyVolumes(period, prisma),
      getDailyVolumes(previous, prisma),
      getFindings({ since: period.since, until: period.until, statuses: ["open"] }, prisma),
      getFindings({ since: period.since, until: period.until, statuses: ["acknowledged", "muted"] }, prisma),
      getQuietOpenFindings(period, prisma),
      getUserHealth(period, prisma),
      getMailHosts(period, prisma),
      getReportConfig(period, prisma),
    ]);
  const firstSeen = await getFindingsFirstSeen(
    open.map((f) => f.id),
    prisma,
  );
  const exampleIds = open.flatMap((f) => exampleMessageIds(f));
  const summaries = await getMessageSummaries(exampleIds, prisma);
  const findings = open.map((f) => toReportFinding(f, period, firstSeen.get(f.id), summaries));
  const allGroups = groupFindings(findings);
  return {
    period,
    previous,
    generatedAt: options.now,
    hosts,
    verdict: decideVerdict(overview, allGroups),
    overview,
    previousOverview,
    findings: {
      newGroups: groupFindings(findings.filter((f) => f.isNew)),
      ongoingGroups: groupFindings(findings.filter((f) => !f.isNew)),
      newCount: findings.filter((f) => f.isNew).length,
      ongoingCount: findings.filter((f) => !f.isNew).length,
      quiet: quiet.length,
      silenced: silenced.length,
    },
    config,
    duplicates: duplicateRows(open, findings),
    training: {
      rows: users
        .filter((u) => u.retrains > 0)
        .sort(
          (a, b) =>
            b.retrainsMisdirected + b.retrainsFailed - (a.retrainsMisdirected + a.retrainsFailed) ||
            a.user.localeCompare(b.user),
        ),
      idleMailboxes: users.filter((u) => u.isMailbox && u.retrains === 0).length,
    },
    unfiltered: unfilteredRows(open, volumes),
    volumes: volumeRows(volumes, previousVolumes),
    daily: dailyRows(period, volumes),
  };
}

function exampleMessageIds(finding: FindingView): string[] {
  const ids = finding.evidence.map((e) => e.messageId).filter((m): m is string => m !== null);
  return [...new Set(ids)].slice(0, EXAMPLES_PER_FINDING);
}

function toReportFinding(
  f: FindingView,
  period: ReportPeriod,
  firstEver: Date | undefined,
  summaries: Map<string, MessageSummary>,
): ReportFinding {
  const firstSeen = firstEver ?? f.firstSeen;
  return {
    id: f.id,
    kind: f.kind,
    severity: f.severity,
    summary: f.summary,
    cause: f.cause,
    fix: f.fix,
    count: f.count,
    firstSeen,
    lastSeen: f.lastSeen,
    isNew: firstSeen >= period.since,
    messages: f.messageIds.length,
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

/** Groups findings by kind, most severe kind first; the order inside a group is getFindings' order. */
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

function duplicateRows(open: readonly FindingView[], findings: readonly ReportFinding[]): DuplicateRow[] {
  return open
    .filter((f) => f.kind === "duplicate-delivery")
    .map((f) => {
      const extra = f.evidence.reduce((sum, e) => sum + Math.max(0, Number(e.detail.copies ?? 2) - 1), 0);
      const via = f.evidence.flatMap((e) => (Array.isArray(e.detail.via) ? e.detail.via.map(String) : []));
      return {
        findingId: f.id,
        recipient: f.subject.recipient ?? f.recipients[0] ?? "",
        messages: f.messageIds.length || f.count,
        extraCopies: extra,
        via: [...new Set(via)].sort(),
        example: findings.find((r) => r.id === f.id)?.examples[0] ?? null,
      };
    })
    .sort((a, b) => b.extraCopies - a.extraCopies || a.recipient.localeCompare(b.recipient));
}

function unfilteredRows(open: readonly FindingView[], volumes: readonly DailyVolume[]): UnfilteredRow[] {
  const byKinds = (...kinds: string[]) => open.filter((f) => kinds.includes(f.kind));
  const origin = (o: string) => sumVerdicts(volumes.filter((v) => v.origin === o));
  const who = (fs: FindingView[], field: string) =>
    [...new Set(fs.map((f) => f.subject[field]).filter((v): v is string => !!v))].sort();
  const authenticated = origin("authenticated");
  const local = origin("local");
  const outgoing = byKinds("verdict-on-outgoing");
  const outgoingIds = new Set(outgoing.flatMap((f) => f.messageIds));
  const outgoingSpam = new Set(
    outgoing.flatMap((f) =>
      f.evidence.filter((e) => e.detail.taggedSpam === true).map((e) => e.messageId ?? e.ref),
    ),
  );
  return [
    {
      what: "authenticated",
      messages: authenticated.spam + authenticated.innocent + authenticated.none,
      judged: authenticated.spam + authenticated.innocent,
      taggedSpam: authenticated.spam,
      who: who(byKinds("verdict-on-authenticated"), "user"),
      findingIds: byKinds("verdict-on-authenticated", "auth-on-port-25").map((f) => f.id),
    },
    {
      what: "local",
      messages: local.spam + local.innocent + local.none,
      judged: local.spam + local.innocent,
      taggedSpam: local.spam,
      who: who(byKinds("verdict-on-local"), "from"),
      findingIds: byKinds("verdict-on-local").map((f) => f.id),
    },
    {
      what: "outgoing",
      messages: null,
      judged: outgoingIds.size,
      taggedSpam: outgoingSpam.size,
      who: who(outgoing, "from"),
      findingIds: outgoing.map((f) => f.id),
    },
  ];
}

function sumVerdicts(rows: readonly DailyVolume[]): VerdictCounts {
  const counts = { spam: 0, innocent: 0, none: 0 };
  for (const row of rows) counts[row.verdict] += row.messages;
  return counts;
}

function volumeRows(current: readonly DailyVolume[], previous: readonly DailyVolume[]): VolumeRow[] {
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

function dailyRows(period: ReportPeriod, volumes: readonly DailyVolume[]): DayVolume[] {
  const days = daysOf(period);
  if (days.length > MAX_CHART_DAYS) return [];
  return days.map((day) => ({ day, ...sumVerdicts(volumes.filter((v) => v.day === day)) }));
}
