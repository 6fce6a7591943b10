import type { Metadata } from "next";
import { Suspense } from "react";
import { MessageSearchSection } from "@/app/_sections/message-search";
import { SearchForm } from "@/components/messages/search-form";
import { PageHeader } from "@/components/ui/page-header";
import { ParamProblems } from "@/components/ui/param-problems";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { zoneAbbreviation } from "@/lib/core/display-zone";
import { readHosts } from "@/lib/queries/dashboard-reads";
import { parseMessageSearch } from "@/lib/queries/message-params";

export const metadata: Metadata = { title: "Messages" };

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function MessagesPage({ searchParams }: { searchParams: Promise<Params> }) {
  const raw = await searchParams;
  const params = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, one(v)]));
  const { filters, view, problems } = parseMessageSearch(params);
  return (
    <>
      <PageHeader title="Messages">
        Every message Spamtrail followed through the pipeline. Search by what you remember of it: the address
        the sender wrote or the mailbox, a domain, the client, a queue id, part of the Message-ID, a word of
        the subject; combine filters. The URL keeps the search.
      </PageHeader>
      <SearchForm values={params} zone={zoneAbbreviation()} hosts={(await readHosts()).value} />
      <ParamProblems problems={problems} />
      <Suspense key={JSON.stringify(params)} fallback={<BlockSkeleton height="h-96" />}>
        <MessageSearchSection filters={filters} view={view} query={params} />
      </Suspense>
    </>
  );
}
