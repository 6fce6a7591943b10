import { FollowStatusLine, HostFollowLines } from "@/components/follow-status-line";
import { SourcesTable } from "@/components/sources-table";
import { Empty } from "@/components/ui/empty";
import { getFollowStatus } from "@/lib/queries/follow-status";
import { getSourceHealth } from "@/lib/queries/source-health";
import { getSources } from "@/lib/queries/sources";

/** The ingested files with their health. */
export async function SourcesListSection() {
  const [sources, health, status] = await Promise.all([getSources(), getSourceHealth(), getFollowStatus()]);
  if (sources.length === 0)
    return (
      <Empty>
        Nothing ingested yet. Run{" "}
        <code className="font-mono">npx spamtrail ingest /var/log/mail.log /var/spool/dspam</code>.
      </Empty>
    );
  return (
    <>
      {status.followers.length > 0 ? (
        <HostFollowLines followers={status.followers} />
      ) : (
        <FollowStatusLine follow={status.follow} retention={status.retention} />
      )}
      <SourcesTable sources={sources} health={health} />
    </>
  );
}
