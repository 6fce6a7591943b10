import Link from "next/link";
import type { ReactNode } from "react";
import type { Tone } from "./badge";
import { Num } from "./number";

const ACCENT: Record<Tone, string> = {
  red: "border-l-red-500",
  amber: "border-l-amber-500",
  green: "border-l-emerald-500",
  sky: "border-l-sky-500",
  violet: "border-l-violet-500",
  slate: "border-l-slate-300 dark:border-l-slate-600",
};

/** One number with its label; a link when `href` is given. */
export function Stat({
  label,
  value,
  hint,
  tone = "slate",
  href,
}: {
  label: string;
  value: number | string;
  hint?: ReactNode;
  tone?: Tone;
  href?: string;
}) {
  const body = (
    <>
      <div className="text-xs font-medium tracking-wide text-slate-600 uppercase dark:text-slate-400">
        {label}
      </div>
      <div className="mt-1 text-2xl font-semibold text-slate-900 dark:text-white">
        {typeof value === "number" ? <Num value={value} /> : value}
      </div>
      {hint ? <div className="mt-1 text-xs muted">{hint}</div> : null}
    </>
  );
  const className = `panel block border-l-4 p-3 ${ACCENT[tone]}`;
  return href ? (
    <Link
      href={href}
      prefetch={false}
      className={`${className} no-underline hover:no-underline hover:shadow-md`}
    >
      {body}
    </Link>
  ) : (
    <div className={className}>{body}</div>
  );
}
