import type { ConfigChange } from "@/lib/queries/config-audit";
import { Time } from "../ui/time";

/** When the configuration changed, what changed, and what the logs did before and after. */
export function ConfigHistory({ history }: { history: ConfigChange[] }) {
  if (history.length === 0)
    return <p className="text-sm muted">No change since the first audit stored in this database.</p>;
  return (
    <ol className="space-y-4 text-sm">
      {history.map((change) => (
        <li key={change.snapshotId} className="rounded-lg border border-slate-200 p-3 dark:border-slate-700">
          <p className="font-medium">
            Changed on <Time value={change.at} />{" "}
            <span className="text-xs muted">(snapshot #{change.snapshotId})</span>
          </p>
          <ul className="mt-1 list-disc pl-5 font-mono text-xs">
            {change.changes.slice(0, 20).map((line) => (
              <li key={line} className="break-all">
                {line}
              </li>
            ))}
            {change.changes.length > 20 ? <li>and {change.changes.length - 20} more</li> : null}
          </ul>
          {change.resolved.map((r) => (
            <p key={r.check} className="mt-1">
              <code className="font-mono text-xs">{r.check}</code> passes since then
              {r.kinds.length > 0
                ? `: ${r.kinds.join(", ")} ${r.after === 0 ? `stopped (${r.before} before, none since)` : `${r.before} before, ${r.after} since`}`
                : ""}
              .
            </p>
          ))}
        </li>
      ))}
    </ol>
  );
}
