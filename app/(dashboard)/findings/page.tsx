import type { Metadata } from "next";
import { Suspense } from "react";
import { FindingsListSection } from "@/app/_sections/findings-list";
import { FindingFilters } from "@/components/findings/finding-filters";
import { PageHeader } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { FINDING_KINDS, type FindingKind, type Severity } from "@/lib/detect/types";
import { FINDING_STATUSES } from "@/lib/queries/finding-list";

export const metadata: Metadata = { title: "Findings" };

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value) ?? "";

export default async function FindingsPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const kind = one(params.kind);
  const severity = one(params.severity);
  const status = one(params.status);
  const kinds = FINDING_KINDS.includes(kind as FindingKind) ? [kind as FindingKind] : [];
  const severities = ["high", "medium", "low"].includes(severity) ? [severity as Severity] : [];
  const statuses =
    status === "all"
      ? []
      : (FINDING_STATUSES as readonly string[]).includes(status)
        ? [status]
        : ["open", "acknowledged"];
  return (
    <>
      <PageHeader title="Findings">
        What Spamtrail found wrong in the pipeline, most severe first. Each finding names its cause and the
        configuration change that fixes it; open one to see its evidence and to acknowledge or mute it.
      </PageHeader>
      <FindingFilters
        values={{
          kind: kinds[0] ?? "",
          severity: severities[0] ?? "",
          status: status === "all" || statuses.length === 1 ? status : "",
        }}
      />
      <Suspense key={`${kind}|${severity}|${status}`} fallback={<BlockSkeleton height="h-96" />}>
        <FindingsListSection kinds={kinds} severities={severities} statuses={statuses} />
      </Suspense>
    </>
  );
}
