import type { PrismaClient } from "../../generated/prisma/client.ts";
import type { FindingSummary } from "../audit/evidence.ts";
import { describeChange, diffSettings, type EffectiveSettings } from "../audit/settings.ts";
import type { AuditResult } from "../audit/types.ts";
import { getPrisma } from "../db/prisma.ts";
import type { FindingKind } from "../detect/types.ts";
import type { ReportConfig } from "../report/config-section.ts";
import { getFindings } from "./findings.ts";

/** Every finding with its messages and users, for the audit's evidence join. */
export async function getFindingSummaries(prisma: PrismaClient = getPrisma()): Promise<FindingSummary[]> {
  const findings = await getFindings({ evidenceLimit: 0 }, prisma);
  return findings.map((f) => ({
    id: f.id,
    kind: f.kind,
    subject: f.subject,
    messageIds: f.messageIds,
    users: f.users,
    count: f.count,
    lastSeen: f.lastSeen,
  }));
}

export type ConfigChange = {
  snapshotId: number;
  at: Date;
  source: string;
  changes: string[];
  /** Checks that failed before the change and pass after it, with what the logs showed on each side. */
  resolved: { check: string; before: number; after: number; kinds: FindingKind[] }[];
};

export type ConfigAuditView = {
  snapshotId: number;
  takenAt: Date;
  seenAt: Date;
  source: string;
  results: AuditResult[];
  history: ConfigChange[];
};

const parse = <T>(text: string): T => JSON.parse(text) as T;

/** The latest stored audit and the configuration's history (newest change first); null before any audit. */
export async function getConfigAudit(prisma: PrismaClient = getPrisma()): Promise<ConfigAuditView | null> {
  const rows = await prisma.configSnapshot.findMany({ orderBy: [{ takenAt: "asc" }, { id: "asc" }] });
  const latest = rows.at(-1);
  if (!latest) return null;
  const history: ConfigChange[] = [];
  for (let i = 1; i < rows.length; i++) {
    const before = rows[i - 1];
    const after = rows[i];
    if (!before || !after) continue;
    const beforeResults = parse<AuditResult[]>(before.results);
    const afterResults = parse<AuditResult[]>(after.results);
    const fixedChecks = [...new Set(beforeResults.map((r) => r.check))].filter(
      (check) => check !== "unexplained-symptom" && !afterResults.some((r) => r.check === check),
    );
    const resolved = await Promise.all(
      fixedChecks.map(async (check) => {
        const kinds = [
          ...new Set(
            beforeResults.filter((r) => r.check === check).flatMap((r) => r.evidence.map((e) => e.kind)),
          ),
        ];
        const count = (where: { lt?: Date; gte?: Date }) =>
          kinds.length === 0
            ? Promise.resolve(0)
            : prisma.findingEvidence.count({ where: { ts: where, finding: { kind: { in: kinds } } } });
        return {
          check,
          kinds,
          before: await count({ lt: after.takenAt }),
          after: await count({ gte: after.takenAt }),
        };
      }),
    );
    history.push({
      snapshotId: after.id,
      at: after.takenAt,
      source: after.source,
      changes: diffSettings(
        parse<EffectiveSettings>(before.settings),
        parse<EffectiveSettings>(after.settings),
      ).map(describeChange),
      resolved,
    });
  }
  return {
    snapshotId: latest.id,
    takenAt: latest.takenAt,
    seenAt: latest.seenAt,
    source: latest.source,
    results: parse<AuditResult[]>(latest.results),
    history: history.reverse(),
  };
}

/** The configuration lines behind a finding kind in the latest audit (for the finding's page). */
export async function getConfigLinesForFinding(
  finding: { id: number; kind: FindingKind },
  prisma: PrismaClient = getPrisma(),
): Promise<AuditResult[]> {
  const latest = await prisma.configSnapshot.findFirst({ orderBy: [{ takenAt: "desc" }, { id: "desc" }] });
  if (!latest) return [];
  const results = parse<AuditResult[]>(latest.results);
  const byId = results.filter((r) => r.evidence.some((e) => e.findingIds?.includes(finding.id)));
  if (byId.length > 0) return byId.filter((r) => r.check !== "unexplained-symptom");
  return results.filter(
    (r) => r.check !== "unexplained-symptom" && r.evidence.some((e) => e.kind === finding.kind),
  );
}

/** The report's configuration section: the latest audit, and the changes within the period. */
export async function getReportConfig(
  period: { since: Date; until: Date },
  prisma: PrismaClient = getPrisma(),
): Promise<ReportConfig> {
  const audit = await getConfigAudit(prisma);
  if (!audit) return null;
  return {
    auditedAt: audit.seenAt,
    results: audit.results,
    changes: audit.history
      .filter((c) => c.at >= period.since && c.at < period.until)
      .map((c) => ({ at: c.at, changes: c.changes, resolved: c.resolved.map((r) => r.check) })),
  };
}
