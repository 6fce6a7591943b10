import type { ReactNode } from "react";

/** A horizontally scrollable table with the dashboard's look; `caption` is read by screen readers. */
export function Table({ caption, children }: { caption: string; children: ReactNode }) {
  return (
    <div className="panel overflow-x-auto">
      <table className="min-w-full text-sm">
        <caption className="sr-only">{caption}</caption>
        {children}
      </table>
    </div>
  );
}

export function Thead({ children }: { children: ReactNode }) {
  return (
    <thead className="bg-slate-100 text-left text-xs tracking-wide text-slate-600 uppercase dark:bg-slate-800 dark:text-slate-300">
      {children}
    </thead>
  );
}

export function Th({ children, right }: { children?: ReactNode; right?: boolean }) {
  return (
    <th scope="col" className={`px-3 py-2 font-semibold ${right ? "text-right" : ""}`}>
      {children}
    </th>
  );
}

export function Tbody({ children }: { children: ReactNode }) {
  return <tbody className="divide-y divide-slate-100 dark:divide-slate-800">{children}</tbody>;
}

export function Td({
  children,
  right,
  mono,
  wrap,
}: {
  children?: ReactNode;
  right?: boolean;
  mono?: boolean;
  wrap?: boolean;
}) {
  return (
    <td
      className={`px-3 py-2 align-top ${right ? "text-right tabular-nums" : ""} ${mono ? "font-mono text-xs" : ""} ${wrap ? "wrap-anywhere" : ""}`}
    >
      {children}
    </td>
  );
}
