import type { ReactNode } from "react";

export type Tone = "red" | "amber" | "green" | "sky" | "violet" | "slate";

const TONES: Record<Tone, string> = {
  red: "bg-red-100 text-red-800 ring-red-600/20 dark:bg-red-950 dark:text-red-300 dark:ring-red-400/30",
  amber:
    "bg-amber-100 text-amber-900 ring-amber-600/20 dark:bg-amber-950 dark:text-amber-300 dark:ring-amber-400/30",
  green:
    "bg-emerald-100 text-emerald-800 ring-emerald-600/20 dark:bg-emerald-950 dark:text-emerald-300 dark:ring-emerald-400/30",
  sky: "bg-sky-100 text-sky-800 ring-sky-600/20 dark:bg-sky-950 dark:text-sky-300 dark:ring-sky-400/30",
  violet:
    "bg-violet-100 text-violet-800 ring-violet-600/20 dark:bg-violet-950 dark:text-violet-300 dark:ring-violet-400/30",
  slate:
    "bg-slate-100 text-slate-700 ring-slate-500/20 dark:bg-slate-800 dark:text-slate-300 dark:ring-slate-400/30",
};

/** A small coloured label. */
export function Badge({ tone, children, title }: { tone: Tone; children: ReactNode; title?: string }) {
  return (
    <span
      title={title}
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium whitespace-nowrap ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

const SEVERITY: Record<string, Tone> = { high: "red", medium: "amber", low: "sky" };
const VERDICT: Record<string, Tone> = { spam: "red", innocent: "green", ham: "green" };
const ORIGIN: Record<string, Tone> = { inbound: "sky", authenticated: "violet", local: "amber" };
const STATUS: Record<string, Tone> = { open: "red", acknowledged: "amber", muted: "slate" };

export function SeverityBadge({ severity }: { severity: string }) {
  return <Badge tone={SEVERITY[severity] ?? "slate"}>{severity}</Badge>;
}

/** The filter's verdict on a message (null: never classified). */
export function VerdictBadge({ verdict }: { verdict: string | null }) {
  if (!verdict) return <Badge tone="slate">not filtered</Badge>;
  return <Badge tone={VERDICT[verdict] ?? "amber"}>{verdict}</Badge>;
}

export function OriginBadge({ origin }: { origin: string }) {
  return <Badge tone={ORIGIN[origin] ?? "slate"}>{origin}</Badge>;
}

export function StatusBadge({ status }: { status: string }) {
  return <Badge tone={STATUS[status] ?? "slate"}>{status}</Badge>;
}
