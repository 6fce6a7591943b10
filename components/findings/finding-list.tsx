import Link from "next/link";
import { kindTitle } from "@/lib/detect/kinds";
import type { FindingSummary } from "@/lib/queries/finding-list";
import { findingHref } from "../links";
import { Badge, SeverityBadge, StatusBadge } from "../ui/badge";
import { Prose } from "../ui/prose";
import { Time } from "../ui/time";
import { subjectText } from "./subject-text";

/** Findings as cards: what is wrong (one line), how often, and the link to its evidence. */
export function FindingList({
  findings,
  compact = false,
}: {
  findings: readonly FindingSummary[];
  compact?: boolean;
}) {
  return (
    <ul className="space-y-3">
      {findings.map((f) => (
        <li key={f.id} className="panel p-4">
          <div className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={f.severity} />
            <Link href={findingHref(f.id)} prefetch={false} className="font-semibold">
              {kindTitle(f.kind)}
            </Link>
            <span className="text-sm wrap-anywhere muted">{subjectText(f.subject)}</span>
            <StatusBadge status={f.status} />
            {f.newSinceStatus > 0 ? (
              <Badge tone="red">
                {f.newSinceStatus} new since {f.status}
              </Badge>
            ) : null}
            <span className="ml-auto text-xs muted">
              {f.count.toLocaleString("en-US")} piece{f.count === 1 ? "" : "s"} of evidence · last{" "}
              <Time value={f.lastSeen} />
            </span>
          </div>
          <p className="mt-2 text-sm break-words">
            <Prose text={f.summary} />
          </p>
          {compact ? null : (
            <p className="mt-2 text-sm break-words muted">
              <span className="font-medium text-slate-700 dark:text-slate-300">Fix: </span>
              <Prose text={f.fix} />
            </p>
          )}
        </li>
      ))}
    </ul>
  );
}
