import Link from "next/link";
import { zoneAbbreviation } from "@/lib/core/display-zone";
import { RANGE_PRESETS, type ResolvedRange, toLocalInput } from "@/lib/queries/time-range";
import { withQuery } from "../links";
import { DateInput } from "../ui/date-input";
import { Time } from "../ui/time";
import { HostPicker } from "./host-picker";

/** Presets as links and a from/to form: the range lives in the URL, no script needed; `keep` are the page's other parameters. */
export function RangePicker({
  path,
  range,
  keep = {},
}: {
  path: string;
  range: ResolvedRange;
  keep?: Record<string, string>;
}) {
  const zone = zoneAbbreviation(range.until);
  const host = range.host ? { host: range.host } : {};
  return (
    <div className="flex flex-col items-start gap-2 sm:items-end">
      <HostPicker path={path} range={range} keep={keep} />
      <nav aria-label="Time range" className="flex flex-wrap gap-1">
        {RANGE_PRESETS.map((preset) => (
          <Link
            prefetch={false}
            key={preset.key}
            href={withQuery(path, { ...keep, ...host, range: preset.key === "all" ? null : preset.key })}
            aria-current={range.preset === preset.key ? "true" : undefined}
            className={`btn px-2 py-1 text-xs ${range.preset === preset.key ? "btn-primary" : ""}`}
          >
            {preset.label}
          </Link>
        ))}
      </nav>
      <details className="text-sm" open={range.preset === "custom"}>
        <summary className="text-xs muted">
          <Time value={range.since} /> – <Time value={range.until} />
        </summary>
        <form action={path} method="get" className="mt-2 flex flex-wrap items-end gap-2">
          {Object.entries({ ...keep, ...host }).map(([name, value]) => (
            <input key={name} type="hidden" name={name} value={value} />
          ))}
          <div className="flex flex-col gap-1">
            <label htmlFor="range-from" className="text-xs muted">
              From <span className="muted">({zone})</span>
            </label>
            <DateInput id="range-from" name="from" defaultValue={range.from || toLocalInput(range.since)} />
          </div>
          <div className="flex flex-col gap-1">
            <label htmlFor="range-to" className="text-xs muted">
              To
            </label>
            <DateInput id="range-to" name="to" defaultValue={range.to || toLocalInput(range.until)} />
          </div>
          <button type="submit" className="btn">
            Apply
          </button>
        </form>
      </details>
    </div>
  );
}
