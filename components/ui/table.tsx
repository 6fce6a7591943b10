import type { ReactNode } from "react";

/** A horizontally scrollable table with the dashboard's look; `caption` is read by screen readers. */
export function Table({
  caption,
  children,
  narrow,
}: {
  caption: string;
  children: ReactNode;
  /** Some columns are `wide`: say on a phone that a wider screen shows them. */
  narrow?: boolean;
}) {
  return (
    <div className="panel overflow-x-auto">
      {narrow ? (
        <p className="px-3 pt-2 text-xs muted sm:hidden">A wider screen shows every column.</p>
      ) : null}
      {/* On a phone the columns share the screen's width (fixed layout): a long name breaks
          between its parts, or inside a word only when nothing else fits, instead of widening
          the table past the screen. */}
      <table className={`min-w-full text-sm ${narrow ? "w-full table-fixed sm:w-auto sm:table-auto" : ""}`}>
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

// Columns a phone (under 640 px) leaves out, so the rest fits without sideways scrolling.
const NOT_ON_PHONE = "hidden sm:table-cell";

export function Th({
  children,
  right,
  wide,
}: {
  children?: ReactNode;
  right?: boolean;
  /** Shown from 640 px on only. */
  wide?: boolean;
}) {
  return (
    <th
      scope="col"
      className={`px-3 py-2 font-semibold ${right ? "text-right" : ""} ${wide ? NOT_ON_PHONE : ""}`}
    >
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
  wide,
}: {
  children?: ReactNode;
  right?: boolean;
  mono?: boolean;
  wrap?: boolean;
  /** Shown from 640 px on only (as its Th). */
  wide?: boolean;
}) {
  return (
    <td
      className={`px-3 py-2 align-top ${right ? "text-right tabular-nums" : ""} ${mono ? "font-mono text-xs" : ""} ${wrap ? "wrap-anywhere" : ""} ${wide ? NOT_ON_PHONE : ""}`}
    >
      {children}
    </td>
  );
}
