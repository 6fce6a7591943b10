import Link from "next/link";
import { type ResolvedRange, toUrlDate } from "@/lib/queries/time-range";
import { withQuery } from "../links";
import { ParamProblems } from "../ui/param-problems";
import { Time } from "../ui/time";

const LABELS: Record<string, string> = { "1d": "last day", "7d": "last 7 days", "30d": "last 30 days" };

/** Parameters the range could not read, and a preset window with no data, with the newest data's window. */
export function RangeNotices({
  range,
  path,
  query = {},
}: {
  range: ResolvedRange;
  path: string;
  query?: Record<string, string>;
}) {
  const empty = range.emptyWindow;
  return (
    <>
      <ParamProblems problems={range.problems} />
      {empty ? (
        <p role="status" className="panel mb-4 p-3 text-sm">
          No mail logged in the {LABELS[range.preset] ?? "range"} (
          <Time value={range.since} seconds={false} /> – <Time value={range.until} seconds={false} />
          ). The newest data ends <Time value={empty.until} />:{" "}
          <Link
            prefetch={false}
            href={withQuery(path, {
              ...query,
              from: toUrlDate(empty.since),
              to: toUrlDate(empty.until),
            })}
          >
            show the {LABELS[range.preset] ?? "range"} before it
          </Link>
          .
        </p>
      ) : null}
    </>
  );
}
