import type { AuditRow } from "@/lib/queries/finding-detail";
import { Clip } from "../ui/clip";
import { Time } from "../ui/time";

const PAST: Record<string, string> = { acknowledge: "acknowledged", mute: "muted", reopen: "reopened" };

/** Who changed the finding's status, when, and why. */
export function AuditList({ audit }: { audit: readonly AuditRow[] }) {
  if (audit.length === 0)
    return <p className="text-sm muted">Nobody has acknowledged or muted this finding yet.</p>;
  return (
    <ol className="space-y-2 text-sm" aria-label="Status changes">
      {audit.map((a) => (
        <li key={a.id} className="border-l-2 border-slate-300 pl-3 dark:border-slate-600">
          <span className="font-medium">{a.actor}</span> {PAST[a.action] ?? a.action} it on{" "}
          <Time value={a.at} />
          {a.note ? (
            <p className="break-words muted">
              “<Clip text={a.note} max={2000} />”
            </p>
          ) : null}
        </li>
      ))}
    </ol>
  );
}
