import type { Metadata } from "next";
import { Suspense } from "react";
import { MessageSearchSection } from "@/app/_sections/message-search";
import { SearchForm } from "@/components/messages/search-form";
import { PageHeader } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { parseMessageFilters } from "@/lib/queries/message-filters";
import { parseCursor } from "@/lib/queries/messages";
import { parseLocalDate } from "@/lib/queries/time-range";

export const metadata: Metadata = { title: "Messages" };

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function MessagesPage({ searchParams }: { searchParams: Promise<Params> }) {
  const raw = await searchParams;
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, one(v)]));
  const filters = {
    ...parseMessageFilters(params),
    since: parseLocalDate(params.from, false) ?? undefined,
    until: parseLocalDate(params.to, true) ?? undefined,
  };
  const { page: _page, ...query } = params;
  return (
    <>
      <PageHeader title="Messages">
        Every message Spamtrail followed through the pipeline. Search by Message-ID, queue id, address, login
        or DSPAM user; combine filters. The URL keeps the search.
      </PageHeader>
      <SearchForm values={{ ...filters, from: params.from ?? "", to: params.to ?? "" }} />
      <Suspense key={JSON.stringify(params)} fallback={<BlockSkeleton height="h-96" />}>
        <MessageSearchSection filters={filters} cursor={parseCursor(params.page)} query={query} />
      </Suspense>
    </>
  );
}
