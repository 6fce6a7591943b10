import Link from "next/link";
import { FINDING_DEFINITIONS } from "@/lib/detect/kinds";
import { FINDING_KINDS } from "@/lib/detect/types";

export type FindingFilterValues = { kind: string; severity: string; status: string };

/** Kind, severity and status filters: a GET form, the state (and the page's range) stays in the URL. */
export function FindingFilters({
  values,
  range = {},
}: {
  values: FindingFilterValues;
  range?: Record<string, string>;
}) {
  const custom = values.kind !== "" && !FINDING_KINDS.includes(values.kind as (typeof FINDING_KINDS)[number]);
  return (
    <form action="/findings" method="get" className="panel mb-6 flex flex-wrap items-end gap-3 p-4">
      {Object.entries(range).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <div className="flex flex-col gap-1">
        <label htmlFor="kind" className="text-xs font-medium muted">
          Kind
        </label>
        <select id="kind" name="kind" defaultValue={values.kind}>
          <option value="">all kinds</option>
          {custom ? (
            <option value={values.kind}>
              {values.kind
                .split(",")
                .map((k) => FINDING_DEFINITIONS[k as (typeof FINDING_KINDS)[number]]?.title ?? k)
                .join(" or ")}
            </option>
          ) : null}
          {FINDING_KINDS.map((k) => (
            <option key={k} value={k}>
              {FINDING_DEFINITIONS[k].title}
            </option>
          ))}
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="severity" className="text-xs font-medium muted">
          Severity
        </label>
        <select id="severity" name="severity" defaultValue={values.severity}>
          <option value="">any</option>
          <option value="high">high</option>
          <option value="medium">medium</option>
          <option value="low">low</option>
        </select>
      </div>
      <div className="flex flex-col gap-1">
        <label htmlFor="status" className="text-xs font-medium muted">
          Status
        </label>
        <select id="status" name="status" defaultValue={values.status}>
          <option value="">open and acknowledged</option>
          <option value="open">open</option>
          <option value="acknowledged">acknowledged</option>
          <option value="muted">muted</option>
          <option value="all">all, muted too</option>
        </select>
      </div>
      <button type="submit" className="btn btn-primary">
        Filter
      </button>
      <Link prefetch={false} href="/findings" className="btn">
        Clear
      </Link>
    </form>
  );
}
