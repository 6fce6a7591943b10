import type { Metadata } from "next";
import { SourcesTable } from "@/components/sources-table";
import { PageHeader } from "@/components/ui/page-header";
import { getSources } from "@/lib/queries/sources";

export const metadata: Metadata = { title: "Sources" };

export default async function SourcesPage() {
  const sources = await getSources();
  return (
    <>
      <PageHeader title="Sources">
        The log files Spamtrail has read. A rotated copy of a file already read is the same source: only lines
        not stored yet are added.
      </PageHeader>
      {sources.length === 0 ? (
        <p className="rounded-lg border border-dashed border-slate-300 p-6 text-slate-600 dark:border-slate-700 dark:text-slate-400">
          Nothing ingested yet. Run{" "}
          <code className="font-mono">npx spamtrail ingest /var/log/mail.log /var/spool/dspam</code>.
        </p>
      ) : (
        <SourcesTable sources={sources} />
      )}
    </>
  );
}
