import type { ReactNode } from "react";
import type { MessageLine } from "@/lib/queries/message";
import { RawLines } from "../ui/raw-lines";
import { Time } from "../ui/time";

const DOT: Record<string, string> = {
  sky: "bg-sky-500",
  violet: "bg-violet-500",
  green: "bg-emerald-500",
  amber: "bg-amber-500",
  red: "bg-red-500",
  slate: "bg-slate-400",
};

/** One step of a message's journey: what happened, when, and its raw log lines on demand. */
export function HopItem({
  title,
  ts,
  tone,
  lines,
  children,
}: {
  title: ReactNode;
  ts: Date;
  tone: keyof typeof DOT;
  lines: readonly MessageLine[];
  children?: ReactNode;
}) {
  return (
    <li className="relative pb-6 pl-7 last:pb-0">
      <span
        aria-hidden="true"
        className="absolute top-1.5 bottom-0 left-[7px] w-px bg-slate-200 dark:bg-slate-700"
      />
      <span
        aria-hidden="true"
        className={`absolute top-1.5 left-0.5 h-3 w-3 rounded-full ring-4 ring-white dark:ring-slate-900 ${DOT[tone]}`}
      />
      <div className="flex flex-wrap items-baseline justify-between gap-x-3">
        <h3 className="font-semibold">{title}</h3>
        <span className="text-xs muted">
          <Time value={ts} />
        </span>
      </div>
      <div className="mt-1 text-sm">{children}</div>
      <details className="mt-2 text-sm" data-log-lines="">
        <summary className="text-xs font-medium text-sky-700 dark:text-sky-400">
          {lines.length} log line{lines.length === 1 ? "" : "s"}
        </summary>
        <RawLines lines={lines} />
      </details>
    </li>
  );
}
