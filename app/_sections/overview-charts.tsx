import { type ChartPoint, StackedBars } from "@/components/charts/stacked-bars";
import { messagesHref, withQuery } from "@/components/links";
import { Section } from "@/components/ui/section";
import { displayZone } from "@/lib/core/display-zone";
import { filtersLabel } from "@/lib/filters/registry";
import { readCharts, readFiltersInUse } from "@/lib/queries/dashboard-reads";
import type { TimeRange } from "@/lib/queries/stats";
import { bucketFor, bucketLabels, bucketQuery } from "@/lib/queries/time-range";

const ORIGIN_SERIES = [
  { key: "inbound", label: "inbound", fill: "fill-sky-500", swatch: "bg-sky-500" },
  { key: "authenticated", label: "authenticated", fill: "fill-violet-500", swatch: "bg-violet-500" },
  { key: "local", label: "local", fill: "fill-amber-500", swatch: "bg-amber-500" },
  { key: "unknown", label: "unknown", fill: "fill-slate-400", swatch: "bg-slate-400" },
];
const VERDICT_SERIES = [
  { key: "spam", label: "spam", fill: "fill-red-500", swatch: "bg-red-500" },
  { key: "innocent", label: "innocent", fill: "fill-emerald-500", swatch: "bg-emerald-500" },
  { key: "none", label: "not filtered", fill: "fill-slate-400", swatch: "bg-slate-400" },
];
const TRAINING_SERIES = [
  { key: "applied", label: "applied", fill: "fill-emerald-500", swatch: "bg-emerald-500" },
  { key: "failed", label: "failed", fill: "fill-red-500", swatch: "bg-red-500" },
  { key: "other", label: "outcome unknown", fill: "fill-slate-400", swatch: "bg-slate-400" },
];

const WIDTH: Record<string, string> = { day: "day", hour: "hour", minute: "minute" };

/** Messages per time bucket by origin and by verdict, and retraining attempts against applied. */
export async function OverviewChartsSection({ range }: { range: TimeRange }) {
  const bucket = bucketFor(range);
  const [{ volumes, trainings }, filters] = await Promise.all([
    readCharts(range, bucket),
    readFiltersInUse(),
  ]);
  const labels = bucketLabels(range, bucket);
  const seen = new Set(labels);
  for (const v of volumes) {
    if (seen.has(v.day)) continue;
    labels.push(v.day);
    seen.add(v.day);
  }
  labels.sort();
  const byOrigin = new Map<string, Record<string, number>>(labels.map((l) => [l, {}]));
  const byVerdict = new Map<string, Record<string, number>>(labels.map((l) => [l, {}]));
  for (const v of volumes) {
    const o = byOrigin.get(v.day) ?? {};
    o[v.origin] = (o[v.origin] ?? 0) + v.messages;
    const w = byVerdict.get(v.day) ?? {};
    w[v.verdict] = (w[v.verdict] ?? 0) + v.messages;
  }
  const retrain = new Map<string, Record<string, number>>(labels.map((l) => [l, {}]));
  for (const t of trainings) {
    retrain.set(t.day, { applied: t.applied, failed: t.failed, other: t.attempts - t.applied - t.failed });
  }
  const points = (map: Map<string, Record<string, number>>): ChartPoint[] =>
    [...map.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([label, values]) => ({ label, values }));
  const per = WIDTH[bucket] ?? bucket;
  const host = range.host ? { host: range.host } : {};
  const toMessages = (label: string) => messagesHref({ ...bucketQuery(label, bucket), ...host });
  const toUsers = (label: string) => withQuery("/users", { ...bucketQuery(label, bucket), ...host });
  return (
    <Section
      title="Over time"
      id="charts"
      aside={`one bar per ${per}, ${displayZone()} time; a bar opens its messages`}
    >
      <div className="grid gap-4 lg:grid-cols-2">
        <StackedBars
          title={`Messages per ${per} by origin`}
          points={points(byOrigin)}
          series={ORIGIN_SERIES}
          unit="messages"
          bucketHref={toMessages}
        />
        <StackedBars
          title={`Messages per ${per} by ${filtersLabel(filters)} verdict`}
          points={points(byVerdict)}
          series={VERDICT_SERIES}
          unit="messages"
          bucketHref={toMessages}
        />
        <StackedBars
          title={`Retraining per ${per}: attempts and applied`}
          points={points(retrain)}
          series={TRAINING_SERIES}
          unit="retrainings"
          bucketHref={toUsers}
        />
      </div>
    </Section>
  );
}
