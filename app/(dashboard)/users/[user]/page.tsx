import type { Metadata } from "next";
import { Suspense } from "react";
import { UserDetailSection } from "@/app/_sections/user-detail";
import { RangeNotices } from "@/components/overview/range-notices";
import { RangePicker } from "@/components/overview/range-picker";
import { decodeSegment } from "@/components/route-param";
import { Clip } from "@/components/ui/clip";
import { PageHeader } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { showInvisible } from "@/lib/core/visible-text";
import { readDataSpan } from "@/lib/queries/dashboard-reads";
import { resolveRange } from "@/lib/queries/time-range";

type Props = {
  params: Promise<{ user: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
};
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export async function generateMetadata({ params }: Props): Promise<Metadata> {
  const user = decodeSegment((await params).user);
  const shown = showInvisible(user);
  return { title: `User ${shown.length > 60 ? `${shown.slice(0, 60)}…` : shown}` };
}

export default async function UserPage({ params, searchParams }: Props) {
  const user = decodeSegment((await params).user);
  const query = await searchParams;
  const { value: span } = await readDataSpan();
  const range = resolveRange(
    { range: one(query.range), from: one(query.from), to: one(query.to), host: one(query.host) },
    span,
  );
  const path = `/users/${encodeURIComponent(user)}`;
  return (
    <>
      <PageHeader
        title={<Clip text={user} max={1000} className="wrap-anywhere" />}
        actions={<RangePicker path={path} range={range} />}
      >
        The filter's verdicts for this user, where their mail was filed, and whether their retraining reached
        their own statistics.
      </PageHeader>
      <RangeNotices range={range} path={path} />
      <Suspense key={JSON.stringify(query)} fallback={<BlockSkeleton height="h-96" />}>
        <UserDetailSection user={user} range={range} />
      </Suspense>
    </>
  );
}
