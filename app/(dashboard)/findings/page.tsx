import type { Metadata } from "next";
import { Suspense } from "react";
import { FindingsListSection } from "@/app/_sections/findings-list";
import { FindingFilters } from "@/components/findings/finding-filters";
import { RangePicker } from "@/components/overview/range-picker";
import { PageHeader } from "@/components/ui/page-header";
import { ParamProblems } from "@/components/ui/param-problems";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { choiceProblem, problems } from "@/lib/core/url-params";
import { FINDING_KINDS, type FindingKind, type Severity } from "@/lib/detect/types";
import { readDataSpan } from "@/lib/queries/dashboard-reads";
import { FINDING_STATUSES } from "@/lib/queries/finding-list";
import { exactRangeQuery, isBounded, queryRange, rangeQuery, resolveRange } from "@/lib/queries/time-range";

export const metadata: Metadata = { title: "Findings" };

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const kind = one(params.kind);
  const severity = one(params.severity);
  const status = one(params.status);
  const kinds = kind.split(",").filter((k): k is FindingKind => FINDING_KINDS.includes(k as FindingKind));
  const severities = ["high", "medium", "low"].includes(severity) ? [severity as Severity] : [];
  const statuses =
    status === "all"
      ? []
      : (FINDING_STATUSES as readonly string[]).includes(status)
        ? [status]
        : ["open", "acknowledged"];
  const { value: span } = await readDataSpan();
  const range = resolveRange(
    { range: one(params.range), from: one(params.from), to: one(params.to), host: one(params.host) },
    span,
  );
  const page = Math.max(1, Number.parseInt(one(params.page), 10) || 1);
  const filters = {
    ...(kinds.length ? { kind: kinds.join(",") } : {}),
    ...(severities.length ? { severity } : {}),
    ...(status ? { status } : {}),
  };
  return (
    <>
      <PageHeader title="Findings" actions={<RangePicker path="/findings" range={range} keep={filters} />}>
        What Spamtrail found wrong in the pipeline, one finding per cause, most severe first. Each names the
        cause and the configuration change that fixes it; open one to see its evidence and to acknowledge or
        mute it.
      </PageHeader>
      <ParamProblems
        problems={problems(
          choiceProblem("kind", kind, FINDING_KINDS),
          choiceProblem("severity", severity, ["high", "medium", "low"]),
          choiceProblem("status", status, [...FINDING_STATUSES, "all"]),
        )}
      />
      <FindingFilters
        values={{
          kind: kinds.join(","),
          severity: severities[0] ?? "",
          status: status === "all" || statuses.length === 1 ? status : "",
        }}
        range={rangeQuery(range)}
      />
      <Suspense key={JSON.stringify(params)} fallback={<BlockSkeleton height="h-96" />}>
        <FindingsListSection
          kinds={kinds}
          severities={severities}
          statuses={statuses}
          range={queryRange(range)}
          bounded={isBounded(range)}
          page={page}
          query={{ ...filters, ...rangeQuery(range) }}
          exact={exactRangeQuery(range)}
        />
      </Suspense>
    </>
  );
}
