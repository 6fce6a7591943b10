const formatter = new Intl.DateTimeFormat("sv-SE", {
  year: "numeric",
  month: "2-digit",
  day: "2-digit",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

/** A timestamp as the mail logs show it (server time zone), with the exact instant in dateTime. */
export function Time({ value }: { value: Date | null | undefined }) {
  if (!value) return <span className="text-slate-400">—</span>;
  return (
    <time dateTime={value.toISOString()} className="whitespace-nowrap tabular-nums">
      {formatter.format(value)}
    </time>
  );
}
