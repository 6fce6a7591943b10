import { findingsHref } from "../links";
import { Stat } from "../ui/stat";

/** Open findings by severity, each a link to that list for the same range. */
export function SeverityCounts({
  counts,
  range,
}: {
  counts: { high: number; medium: number; low: number };
  range: Record<string, string>;
}) {
  const href = (severity: string) => findingsHref({ severity, status: "open", ...range });
  return (
    <div className="grid grid-cols-3 gap-3">
      <Stat
        label="High"
        value={counts.high}
        tone={counts.high ? "red" : "slate"}
        href={href("high")}
        hint="open findings"
      />
      <Stat
        label="Medium"
        value={counts.medium}
        tone={counts.medium ? "amber" : "slate"}
        href={href("medium")}
        hint="open findings"
      />
      <Stat
        label="Low"
        value={counts.low}
        tone={counts.low ? "sky" : "slate"}
        href={href("low")}
        hint="open findings"
      />
    </div>
  );
}
