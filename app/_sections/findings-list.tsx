import { FindingList } from "@/components/findings/finding-list";
import { Empty } from "@/components/ui/empty";
import type { FindingKind, Severity } from "@/lib/detect/types";
import { listFindings } from "@/lib/queries/finding-list";
import { cachedRead } from "@/lib/queries/read-cache";

/** Findings matching the filters, with their explanation and fix. */
export async function FindingsListSection({
  kinds,
  severities,
  statuses,
}: {
  kinds: FindingKind[];
  severities: Severity[];
  statuses: string[];
}) {
  const { value: findings } = await cachedRead(`findings:${kinds}:${severities}:${statuses}`, () =>
    listFindings({ kinds, severities, statuses }),
  );
  if (findings.length === 0)
    return (
      <Empty>
        No finding matches.{" "}
        {statuses.includes("muted") ? "" : "Muted findings are hidden unless you ask for them."}
      </Empty>
    );
  return <FindingList findings={findings} />;
}
