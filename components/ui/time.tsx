import { displayZone, formatDateTime, zoneAbbreviation } from "@/lib/core/display-zone";

/**
 * A timestamp as the mail logs show it, in the display zone (SPAMTRAIL_TZ) with the zone named,
 * and the exact instant in dateTime.
 */
export function Time({ value, seconds = true }: { value: Date | null | undefined; seconds?: boolean }) {
  if (!value) return <span className="text-slate-400">—</span>;
  const zone = zoneAbbreviation(value);
  return (
    <time
      dateTime={value.toISOString()}
      title={`${formatDateTime(value)} ${displayZone()}`}
      className="whitespace-nowrap tabular-nums"
    >
      {formatDateTime(value, { seconds })} <span className="text-[0.85em] muted">{zone}</span>
    </time>
  );
}
