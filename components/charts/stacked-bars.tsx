import { Num } from "../ui/number";

export type ChartSeries = {
  key: string;
  label: string;
  /** Tailwind fill and background classes of the series' colour, e.g. "fill-sky-500" / "bg-sky-500". */
  fill: string;
  swatch: string;
};

export type ChartPoint = { label: string; values: Record<string, number> };

const niceMax = (value: number) => {
  if (value <= 5) return Math.max(1, value);
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const steps = [1, 2, 2.5, 5, 10];
  return (steps.find((s) => s * magnitude >= value) ?? 10) * magnitude;
};

/** Shortens a bucket label (2026-11-22 03:26) to what changes along the axis. */
function shortLabel(label: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?: (\d{2}:\d{2}))?$/.exec(label);
  if (!m) return label;
  return m[4] ? `${m[2]}-${m[3]} ${m[4]}` : `${m[2]}-${m[3]}`;
}

/** Which buckets get an axis label: each one once, at most five, spread evenly, first and last included. */
export function axisTicks(count: number): number[] {
  if (count <= 0) return [];
  const wanted = Math.min(count, 5);
  if (wanted === 1) return [0];
  return [...new Set(Array.from({ length: wanted }, (_, i) => Math.round((i * (count - 1)) / (wanted - 1))))];
}

/**
 * Stacked bars over time as a plain SVG (no script): axis text in HTML so it stays readable when
 * the chart shrinks on a phone, a tooltip per segment, and the numbers in a table for keyboards
 * and screen readers.
 */
export function StackedBars({
  title,
  points,
  series,
  unit,
  bucketHref,
}: {
  title: string;
  points: readonly ChartPoint[];
  series: readonly ChartSeries[];
  unit: string;
  /** Where a bucket's bar leads (its messages), by the bucket's label. */
  bucketHref?: (label: string) => string;
}) {
  const totals = points.map((p) => series.reduce((sum, s) => sum + (p.values[s.key] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const width = Math.max(points.length, 1) * 10;
  const barWidth = points.length > 60 ? 9 : 7;
  const seriesTotals = series.map((s) => points.reduce((sum, p) => sum + (p.values[s.key] ?? 0), 0));
  const tickSet = new Set(axisTicks(points.length));
  return (
    <figure className="panel p-4">
      <figcaption className="mb-3 flex flex-wrap items-baseline justify-between gap-2">
        <span className="font-semibold">{title}</span>
        <ul className="flex flex-wrap gap-x-3 gap-y-1 text-xs">
          {series.map((s, i) => (
            <li key={s.key} className="flex items-center gap-1">
              <span aria-hidden="true" className={`inline-block h-2.5 w-2.5 rounded-sm ${s.swatch}`} />
              {s.label}{" "}
              <span className="muted">
                (<Num value={seriesTotals[i] ?? 0} />)
              </span>
            </li>
          ))}
        </ul>
      </figcaption>
      <div className="flex gap-2">
        <div
          aria-hidden="true"
          className="flex h-40 flex-col justify-between text-right text-[11px] tabular-nums muted"
        >
          <span>{max.toLocaleString("en-US")}</span>
          <span>{(max / 2).toLocaleString("en-US")}</span>
          <span>0</span>
        </div>
        <div className="min-w-0 flex-1">
          <svg
            viewBox={`0 0 ${width} 100`}
            preserveAspectRatio="none"
            className="block h-40 w-full"
            role="img"
            aria-label={`${title}: ${series.map((s, i) => `${s.label} ${seriesTotals[i] ?? 0}`).join(", ")} ${unit}`}
          >
            {[0, 50, 100].map((y) => (
              <line
                key={y}
                x1={0}
                x2={width}
                y1={y}
                y2={y}
                vectorEffect="non-scaling-stroke"
                className="stroke-slate-200 dark:stroke-slate-700"
                strokeWidth={1}
              />
            ))}
            {points.map((point, i) => {
              let y = 100;
              const total = totals[i] ?? 0;
              const label = `${point.label}: ${total.toLocaleString("en-US")} ${unit}${
                total > 0
                  ? ` (${series
                      .filter((s) => (point.values[s.key] ?? 0) > 0)
                      .map((s) => `${s.label} ${(point.values[s.key] ?? 0).toLocaleString("en-US")}`)
                      .join(", ")})`
                  : ""
              }`;
              const bar = (
                <g key={point.label}>
                  <title>{label}</title>
                  {/* The whole column is the bucket's target, so thin bars are easy to hit. */}
                  <rect x={i * 10} y={0} width={10} height={100} className="fill-transparent" />
                  {series.map((s) => {
                    const value = point.values[s.key] ?? 0;
                    if (value <= 0) return null;
                    const h = (value / max) * 100;
                    y -= h;
                    return (
                      <rect
                        key={s.key}
                        x={i * 10 + (10 - barWidth) / 2}
                        y={y}
                        width={barWidth}
                        height={h}
                        className={s.fill}
                      />
                    );
                  })}
                </g>
              );
              return bucketHref && total > 0 ? (
                <a
                  key={point.label}
                  href={bucketHref(point.label)}
                  aria-label={label}
                  className="hover:opacity-80"
                >
                  {bar}
                </a>
              ) : (
                bar
              );
            })}
          </svg>
          {/* One cell per bucket, under its bar (no inline styles: the CSP allows none). */}
          <div aria-hidden="true" className="mt-1 flex h-4 text-[11px] muted">
            {points.map((point, i) => {
              const shown = tickSet.has(i);
              const align =
                points.length > 1 && i === 0
                  ? "justify-start"
                  : points.length > 1 && i === points.length - 1
                    ? "justify-end"
                    : "justify-center";
              return (
                <span key={point.label} className={`flex min-w-0 flex-1 ${align} overflow-visible`}>
                  {shown ? <span className="whitespace-nowrap">{shortLabel(point.label)}</span> : null}
                </span>
              );
            })}
          </div>
        </div>
      </div>
      <details className="mt-2 text-xs">
        <summary className="text-sky-700 dark:text-sky-400">Numbers</summary>
        <div className="mt-2 max-h-64 overflow-auto">
          <table className="min-w-full text-right tabular-nums">
            <caption className="sr-only">{title}</caption>
            <thead>
              <tr>
                <th scope="col" className="pr-3 text-left">
                  time
                </th>
                {series.map((s) => (
                  <th key={s.key} scope="col" className="pr-3">
                    {s.label}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {points
                .filter((_, i) => (totals[i] ?? 0) > 0)
                .map((p) => (
                  <tr key={p.label}>
                    <th scope="row" className="pr-3 text-left font-normal">
                      {bucketHref ? <a href={bucketHref(p.label)}>{p.label}</a> : p.label}
                    </th>
                    {series.map((s) => (
                      <td key={s.key} className="pr-3">
                        {(p.values[s.key] ?? 0).toLocaleString("en-US")}
                      </td>
                    ))}
                  </tr>
                ))}
            </tbody>
          </table>
        </div>
      </details>
    </figure>
  );
}
