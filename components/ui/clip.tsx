import { showInvisible } from "@/lib/core/visible-text";

/**
 * Log-derived text: how the dashboard shows every value from a log line. Control, bidi and format
 * characters are shown as \uXXXX (a name that reads differently than it is, an invisible override);
 * up to `max` characters, the rest in the tooltip.
 */
export function Clip({
  text,
  max = 160,
  className,
}: {
  text: string | null | undefined;
  max?: number;
  className?: string;
}) {
  if (text === null || text === undefined || text === "") return <span className="text-slate-400">—</span>;
  const shown = showInvisible(text);
  if (shown.length <= max) return <span className={className}>{shown}</span>;
  return (
    <span className={className} title={shown.slice(0, 4000)}>
      {shown.slice(0, max)}…
    </span>
  );
}
