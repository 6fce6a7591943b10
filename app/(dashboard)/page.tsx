import type { Metadata } from "next";
import { Suspense } from "react";
import { OverviewChartsSection } from "@/app/_sections/overview-charts";
import { OverviewHealthSection } from "@/app/_sections/overview-health";
import { RangeNotices } from "@/components/overview/range-notices";
import { RangePicker } from "@/components/overview/range-picker";
import { Empty } from "@/components/ui/empty";
import { PageHeader } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { readDataSpan } from "@/lib/queries/dashboard-reads";
import { exactRangeQuery, queryRange, resolveRange } from "@/lib/queries/time-range";

export const metadata: Metadata = { title: "Overview" };

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function OverviewPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const { value: span } = await readDataSpan();
  const range = resolveRange(
    { range: one(params.range), from: one(params.from), to: one(params.to), host: one(params.host) },
    span,
  );
  // Links to the lists behind the numbers carry the exact range counted (none for all data).
  const query = exactRangeQuery(range);
  return (
    <>
      <PageHeader
        title="Does my antispam really work?"
        actions={span ? <RangePicker path="/" range={range} /> : null}
      >
        Every message followed from Postfix through the content filter into the mailbox, and every retraining
        back into the filter.
      </PageHeader>
      <RangeNotices range={range} path="/" />
      {span === null ? (
        <Empty>
          Nothing ingested yet. Run{" "}
          <code className="font-mono">npx spamtrail ingest /var/log/mail.log* /var/spool/dspam</code> and
          reload.
        </Empty>
      ) : (
        <>
          <Suspense
            key={`h${range.since.getTime()}-${range.until.getTime()}@${range.host ?? ""}`}
            fallback={<BlockSkeleton height="h-96" />}
          >
            <OverviewHealthSection range={queryRange(range)} query={query} />
          </Suspense>
          <Suspense
            key={`c${range.since.getTime()}-${range.until.getTime()}@${range.host ?? ""}`}
            fallback={<BlockSkeleton height="h-64" />}
          >
            <OverviewChartsSection range={range} />
          </Suspense>
        </>
      )}
    </>
  );
}
