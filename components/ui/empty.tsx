import type { ReactNode } from "react";

/** What a list shows when it has nothing to show, and why. */
export function Empty({ children }: { children: ReactNode }) {
  return (
    <p className="rounded-lg border border-dashed border-slate-300 p-6 text-sm muted dark:border-slate-700">
      {children}
    </p>
  );
}
