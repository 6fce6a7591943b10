import Link from "next/link";
import { kindTitle } from "@/lib/detect/kinds";
import type { MessageFinding } from "@/lib/queries/message-view";
import { findingHref } from "../links";
import { SeverityBadge, StatusBadge } from "../ui/badge";
import { Prose } from "../ui/prose";

/** The findings this message is evidence of. */
export function MessageFindings({
  findings,
  inProgress = false,
}: {
  findings: readonly MessageFinding[];
  inProgress?: boolean;
}) {
  if (findings.length === 0)
    return (
      <p className="text-sm muted">
        {inProgress
          ? "No finding so far: the message is still on its way."
          : "This message is not evidence of any finding: it went through as it should."}
      </p>
    );
  return (
    <ul className="space-y-2">
      {findings.map((f) => (
        <li key={f.id} className="panel p-3 text-sm">
          <div className="flex flex-wrap items-center gap-2">
            <SeverityBadge severity={f.severity} />
            <Link href={findingHref(f.id)} prefetch={false} className="font-semibold">
              {kindTitle(f.kind)}
            </Link>
            {f.status !== "open" ? <StatusBadge status={f.status} /> : null}
          </div>
          <p className="mt-1 break-words muted">
            <Prose text={f.summary} />
          </p>
        </li>
      ))}
    </ul>
  );
}
