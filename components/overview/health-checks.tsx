import Link from "next/link";
import type { CheckState, HealthCheck, HealthLink } from "@/lib/queries/health-checks";
import { messageQuery } from "@/lib/queries/message-filters";
import { findingsHref, messagesHref, trainingsHref, usersHref } from "../links";

const LOOK: Record<CheckState, { label: string; mark: string; border: string }> = {
  ok: { label: "OK", mark: "bg-emerald-600 text-white", border: "border-l-emerald-500" },
  warn: { label: "Check", mark: "bg-amber-500 text-slate-950", border: "border-l-amber-500" },
  bad: { label: "Broken", mark: "bg-red-600 text-white", border: "border-l-red-500" },
  idle: {
    label: "No data",
    mark: "bg-slate-400 text-white dark:bg-slate-600",
    border: "border-l-slate-300 dark:border-l-slate-600",
  },
};

/** The list a check counted: messages, retrainings, users or findings of the same range. */
export function healthHref(link: HealthLink, range: Record<string, string>): string {
  switch (link.kind) {
    case "messages":
      return messagesHref({ ...messageQuery(link.filters), ...range });
    case "trainings":
      return trainingsHref(link.outcome, range);
    case "users":
      return usersHref({ finding: link.findings.join(","), ...range });
    case "findings":
      return findingsHref({ kind: link.kinds.join(","), ...range });
  }
}

/** The answer to "does my antispam really work?", one question per step of the pipeline. */
export function HealthChecks({
  checks,
  range,
}: {
  checks: readonly HealthCheck[];
  range: Record<string, string>;
}) {
  return (
    <ul className="grid gap-3 md:grid-cols-2 xl:grid-cols-3">
      {checks.map((check) => {
        const look = LOOK[check.state];
        const target = check.link ? healthHref(check.link, range) : null;
        return (
          <li key={check.key} className={`panel border-l-4 p-4 ${look.border}`}>
            <div className="flex items-start justify-between gap-3">
              <h3 className="font-semibold">{check.question}</h3>
              <span className={`shrink-0 rounded px-1.5 py-0.5 text-xs font-bold ${look.mark}`}>
                {look.label}
              </span>
            </div>
            <p className="mt-1 text-sm muted">{check.answer}</p>
            {target ? (
              <Link href={target} prefetch={false} className="mt-2 inline-block text-sm font-medium">
                See the evidence →
              </Link>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
