import { SourcesTable } from "@/components/sources-table";
import { Empty } from "@/components/ui/empty";
import { getSourceHealth } from "@/lib/queries/source-health";
import { getSources } from "@/lib/queries/sources";

/** The ingested files with their health. */
export async function SourcesListSection() {
  const [sources, health] = await Promise.all([getSources(), getSourceHealth()]);
  if (sources.length === 0)
    return (
      <Empty>
        Nothing ingested yet. Run{" "}
        <code className="font-mono">npx spamtrail ingest /var/log/mail.log /var/spool/dspam</code>.
      </Empty>
    );
  return <SourcesTable sources={sources} health={health} />;
}
