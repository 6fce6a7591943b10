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
  soft,
}: {
  text: string | null | undefined;
  max?: number;
  className?: string;
  /**
   * Addresses and paths: lines may break only between their parts (after `/`, `.`, `-`, `_`,
   * before `@`), never inside a word. Use with `break-words`, not `wrap-anywhere`.
   */
  soft?: boolean;
}) {
  if (text === null || text === undefined || text === "") return <span className="text-slate-400">—</span>;
  const shown = showInvisible(text);
  const cut = shown.length <= max ? shown : `${shown.slice(0, max)}…`;
  return (
    <span className={className} title={shown.length <= max ? undefined : shown.slice(0, 4000)}>
      {soft ? softBreaks(cut) : cut}
    </span>
  );
}

/** The text with a line-break opportunity between the parts of an address or path. */
function softBreaks(text: string) {
  const parts = text.split(/(?<=[/._-])|(?=@)/);
  return parts.map((part, i) => (
    // biome-ignore lint/suspicious/noArrayIndexKey: the parts of one fixed string, in order
    <span key={i}>
      {i > 0 ? <wbr /> : null}
      {part}
    </span>
  ));
}
