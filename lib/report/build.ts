// Collects the report's data through the shared query functions (lib/queries): the dashboard, the
// CLI and the report read the same numbers.
import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { FindingKind } from "../detect/types.ts";
import { getReportConfig } from "../queries/config-audit.ts";
import { listFindings } from "../queries/finding-list.ts";
import { type FindingView, getFindings } from "../queries/findings.ts";
import type { MessageFilters } from "../queries/message-filters.ts";
import { countMessages } from "../queries/messages.ts";
import { hasMail } from "../queries/range-activity.ts";
import {
  getFindingsFirstSeen,
  getHostSummaries,
  getMailHosts,
  getMessageSummaries,
  getQuietOpenFindings,
} from "../queries/report-stats.ts";
import { getDailyVolumes, getOverview, type Overview } from "../queries/stats.ts";
import { getUserHealth } from "../queries/users.ts";
import {
  dailyRows,
  duplicateRows,
  exampleMessageIds,
  groupFindings,
  toReportFinding,
  volumeRows,
} from "./build-parts.ts";
import type { FindingGroup, ReportData, UnfilteredRow } from "./model.ts";
import { previousPeriod, type ReportPeriod } from "./period.ts";
import { decideVerdict } from "./verdict.ts";

export { groupFindings } from "./build-parts.ts";

/** Builds the report of one period from the database; `now` is when it is generated. */
export async function buildReport(
  period: ReportPeriod,
  options: { prisma: PrismaClient; now: Date; host?: string },
): Promise<ReportData> {
  const { prisma, host } = options;
  const previous = previousPeriod(period);
  // Every read of one server's report is limited to it (lib/queries: messages that touched it,
  // its retrainings, evidence about those).
  const scope = host ? { host } : {};
  const range = { since: period.since, until: period.until, ...scope };
  const thisPeriod = { ...period, ...scope };
  const before = { ...previous, ...scope };
  const [
    overview,
    previousOverview,
    volumes,
    previousVolumes,
    open,
    silenced,
    quiet,
    openAtEnd,
    users,
    hosts,
    config,
  ] = await Promise.all([
    getOverview(thisPeriod, prisma),
    getOverview(before, prisma),
    getDailyVolumes(thisPeriod, prisma),
    getDailyVolumes(before, prisma),
    getFindings({ ...range, statuses: ["open"] }, prisma),
    getFindings({ ...range, statuses: ["acknowledged", "muted"] }, prisma),
    getQuietOpenFindings(period, prisma),
    listFindings({ until: period.until, statuses: ["open"], ...scope }, prisma),
    getUserHealth(thisPeriod, prisma),
    host ? Promise.resolve([host]) : getMailHosts(period, prisma),
    getReportConfig(period, prisma),
  ]);
  const servers = await getHostSummaries(thisPeriod, prisma);
  const [firstSeen, summaries, unfiltered, anyMail] = await Promise.all([
    getFindingsFirstSeen(
      open.map((f) => f.id),
      prisma,
    ),
    getMessageSummaries(
      open.flatMap((f) => exampleMessageIds(f)),
      prisma,
    ),
    unfilteredRows(overview, open, thisPeriod, prisma),
    hasMail(range, prisma),
  ]);
  const findings = open.map((f) => toReportFinding(f, period, firstSeen.get(f.id), summaries));
  const distinct = (groups: FindingGroup[]) => withDistinctMessages(groups, thisPeriod, prisma);
  const [allGroups, newGroups, ongoingGroups] = await Promise.all([
    distinct(groupFindings(findings)),
    distinct(groupFindings(findings.filter((f) => f.isNew))),
    distinct(groupFindings(findings.filter((f) => !f.isNew))),
  ]);
  const openTotal = { high: 0, medium: 0, low: 0 };
  for (const f of openAtEnd) openTotal[f.severity] += 1;
  return {
    period,
    previous,
    generatedAt: options.now,
    hosts,
    host: host ?? null,
    servers,
    verdict: decideVerdict(overview, allGroups, anyMail),
    overview,
    previousOverview,
    findings: {
      newGroups,
      ongoingGroups,
      newCount: findings.filter((f) => f.isNew).length,
      ongoingCount: findings.filter((f) => !f.isNew).length,
      quiet: quiet.length,
      silenced: silenced.length,
      openTotal,
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
    unfiltered,
    volumes: volumeRows(volumes, previousVolumes),
    daily: dailyRows(period, volumes),
  };
}

/** A group's messages counted once each, as the dashboard's list of its findings' messages shows them. */
async function withDistinctMessages(
  groups: FindingGroup[],
  period: ReportPeriod & { host?: string },
  prisma: PrismaClient,
): Promise<FindingGroup[]> {
  return Promise.all(
    groups.map(async (g) => ({
      ...g,
      messages: await countMessages(
        {
          findingIds: g.findings.map((f) => f.id),
          since: period.since,
          until: period.until,
          host: period.host,
        },
        prisma,
      ),
    })),
  );
}

/**
 * Mail that should not pass the spam filter, and how much of it did: each number is countMessages
 * of the filter the row links to, so the report and the dashboard's list agree.
 */
async function unfilteredRows(
  overview: Overview,
  open: readonly FindingView[],
  period: ReportPeriod & { host?: string },
  prisma: PrismaClient,
): Promise<UnfilteredRow[]> {
  const range = { since: period.since, until: period.until, host: period.host };
  const row = async (
    what: UnfilteredRow["what"],
    kind: FindingKind,
    messages: number | null,
  ): Promise<UnfilteredRow> => {
    const judged: Omit<MessageFilters, "since" | "until"> = { findings: [kind] };
    const findings = open.filter((f) => f.kind === kind);
    return {
      what,
      messages,
      judged: await countMessages({ ...judged, ...range }, prisma),
      taggedSpam: await countMessages({ ...judged, verdict: "spam", ...range }, prisma),
      judgedFilter: judged,
      who: [
        ...new Set(
          findings.flatMap((f) => f.evidence.map((e) => e.detail.from)).filter((v) => typeof v === "string"),
        ),
      ].sort() as string[],
      findingIds: findings.map((f) => f.id),
    };
  };
  return Promise.all([
    row("authenticated", "verdict-on-authenticated", overview.byOrigin.authenticated),
    row("local", "verdict-on-local", overview.byOrigin.local),
    row("outgoing", "verdict-on-outgoing", null),
  ]);
}
