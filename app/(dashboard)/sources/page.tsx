import type { Metadata } from "next";
import { Suspense } from "react";
import { SourcesListSection } from "@/app/_sections/sources-list";
import { PageHeader } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";

export const metadata: Metadata = { title: "Sources" };

export default function SourcesPage() {
  return (
    <>
      <PageHeader title="Sources">
        The log files Spamtrail has read, and how current each is. A rotated copy of a file already read is
        the same source: only lines not stored yet are added.
      </PageHeader>
      <Suspense fallback={<BlockSkeleton height="h-64" />}>
        <SourcesListSection />
      </Suspense>
    </>
  );
}
