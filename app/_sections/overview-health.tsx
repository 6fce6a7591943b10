import Link from "next/link";
import { FindingList } from "@/components/findings/finding-list";
import { findingsHref } from "@/components/links";
import { HealthChecks } from "@/components/overview/health-checks";
import { PipelineCounters } from "@/components/overview/pipeline-counters";
import { SeverityCounts } from "@/components/overview/severity-counts";
import { Empty } from "@/components/ui/empty";
import { Section } from "@/components/ui/section";
import { Time } from "@/components/ui/time";
import { readOverview } from "@/lib/queries/dashboard-reads";
import { assessHealth } from "@/lib/queries/health-checks";
import { noMailLogged } from "@/lib/queries/range-activity";
import type { TimeRange } from "@/lib/queries/stats";

const TOP_FINDINGS = 5;

/** Health checks, open findings and the pipeline counters of a time range. */
export async function OverviewHealthSection({
  range,
  query,
}: {
  range: TimeRange;
  query: Record<string, string>;
}) {
  const { overview, health, open, asOf } = await readOverview(range);
  // An empty range is said so: its checks would read like an all-clear.
  if (overview.messages === 0 && overview.trainings.attempts === 0)
    return (
      <Section title="Health" id="health">
        <Empty>{noMailLogged(range)}</Empty>
      </Section>
    );
  return (
    <>
      <Section
        title="Health"
        id="health"
        aside={
          <span title="Figures are recomputed every 15 seconds at most">
            as of <Time value={asOf} />
          </span>
        }
      >
        <HealthChecks checks={assessHealth(health)} range={query} />
      </Section>
      <Section
        title="Open findings"
        id="open-findings"
        aside={
          <Link prefetch={false} href={findingsHref(query)}>
            All findings →
          </Link>
        }
      >
        <SeverityCounts counts={overview.openFindings} range={query} />
        <div className="mt-4">
          {open.length === 0 ? (
            <Empty>No open finding in this range.</Empty>
          ) : (
            <FindingList findings={open.slice(0, TOP_FINDINGS)} compact />
          )}
          {open.length > TOP_FINDINGS ? (
            <p className="mt-2 text-sm">
              <Link prefetch={false} href={findingsHref({ status: "open", ...query })}>
                {open.length - TOP_FINDINGS} more open findings →
              </Link>
            </p>
          ) : null}
        </div>
      </Section>
      <Section title="Pipeline" id="pipeline">
        <PipelineCounters overview={overview} range={query} />
      </Section>
    </>
  );
}
