import Link from "next/link";
import type { EvidenceRow } from "@/lib/queries/finding-detail";
import { messageHref, userHref } from "../links";
import { SeverityBadge } from "../ui/badge";
import { Clip } from "../ui/clip";
import { Time } from "../ui/time";

function show(value: unknown): string {
  if (Array.isArray(value)) return value.map(show).join(", ");
  if (value !== null && typeof value === "object") return JSON.stringify(value);
  return String(value);
}

/** queueIds → "queue ids", dspamSaid → "dspam said". */
const label = (key: string) =>
  key
    .replace(/([a-z])([A-Z])/g, "$1 $2")
    .toLowerCase()
    .replace(/\bids\b/, "ids");

/** The facts a detector recorded, as label: value text (never markup). */
function Detail({ detail }: { detail: Record<string, unknown> }) {
  const entries = Object.entries(detail).filter(([, v]) => v !== null && v !== undefined && v !== "");
  if (entries.length === 0) return null;
  return (
    <dl className="mt-1 grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs">
      {entries.map(([key, value]) => (
        <div key={key} className="contents">
          <dt className="muted">{label(key)}</dt>
          <dd className="font-mono wrap-anywhere">
            <Clip text={show(value)} max={300} />
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** One page of a finding's evidence: each message, retraining or DSPAM user that shows it. */
export function EvidenceList({ evidence }: { evidence: readonly EvidenceRow[] }) {
  return (
    <ol className="panel divide-y divide-slate-100 dark:divide-slate-800">
      {evidence.map((e) => {
        const target = e.messageId ?? e.journeyKey;
        return (
          <li key={e.id} className="p-3 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <SeverityBadge severity={e.severity} />
              <span className="text-xs muted">
                <Time value={e.ts} />
              </span>
              {target ? (
                <Link href={messageHref(target)} prefetch={false} className="font-mono text-xs wrap-anywhere">
                  <Clip text={e.messageId ? `<${e.messageId}>` : target} max={120} />
                </Link>
              ) : (
                <span className="font-mono text-xs wrap-anywhere muted">
                  <Clip text={e.ref} max={120} />
                </span>
              )}
            </div>
            {e.users.length > 0 ? (
              <div className="mt-1 flex flex-wrap gap-x-2 text-xs">
                <span className="muted">users</span>
                {e.users.slice(0, 10).map((u) => (
                  <Link key={u} href={userHref(u)} prefetch={false} className="wrap-anywhere">
                    <Clip text={u} max={80} />
                  </Link>
                ))}
              </div>
            ) : null}
            <Detail detail={e.detail} />
          </li>
        );
      })}
    </ol>
  );
}
