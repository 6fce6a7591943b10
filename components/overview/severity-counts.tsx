import { withQuery } from "../links";
import { Stat } from "../ui/stat";

/** Open findings by severity, each a link to that list. */
export function SeverityCounts({ counts }: { counts: { high: number; medium: number; low: number } }) {
  return (
    <div className="grid grid-cols-3 gap-3">
      <Stat
        label="High"
        value={counts.high}
        tone={counts.high ? "red" : "slate"}
        href={withQuery("/findings", { severity: "high", status: "open" })}
        hint="open findings"
      />
      <Stat
        label="Medium"
        value={counts.medium}
        tone={counts.medium ? "amber" : "slate"}
        href={withQuery("/findings", { severity: "medium", status: "open" })}
        hint="open findings"
      />
      <Stat
        label="Low"
        value={counts.low}
        tone={counts.low ? "sky" : "slate"}
        href={withQuery("/findings", { severity: "low", status: "open" })}
        hint="open findings"
      />
    </div>
  );
}
