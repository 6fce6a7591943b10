/** Log-derived text of any length: shown up to `max` characters, the rest in the tooltip. */
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
  if (text.length <= max) return <span className={className}>{text}</span>;
  return (
    <span className={className} title={text.slice(0, 4000)}>
      {text.slice(0, max)}…
    </span>
  );
}
