import Link from "next/link";
import type { CheckState, HealthCheck } from "@/lib/queries/health-checks";
import { findingHref, messagesHref, withQuery } from "../links";

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

function href(check: HealthCheck, range: Record<string, string>): string | null {
  const link = check.link;
  if (!link) return null;
  switch (link.kind) {
    case "finding":
      return findingHref(link.id);
    case "findings":
      return withQuery("/findings", { kind: link.findingKind });
    case "messages":
      return messagesHref({ ...link.query, ...range });
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
        const target = href(check, range);
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
