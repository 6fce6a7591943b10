import Link from "next/link";
import { describeAge, type Freshness } from "@/lib/queries/freshness";
import { LiveRefresh } from "./live-refresh";
import { Time } from "./ui/time";

const REFRESH_MS = 15_000;

/**
 * Under the navigation of every page: how current the data is. A banner when it is not (no new
 * line for an hour, or follow silent), a quiet line when it is; live pages refresh while follow runs.
 */
export function FreshnessBar({ freshness, now }: { freshness: Freshness; now: Date }) {
  const { newestLine, follow, warning } = freshness;
  if (newestLine === null) return null;
  const running = follow.state === "running";
  if (warning)
    return (
      <div
        role="status"
        data-freshness="stale"
        className="border-b border-amber-300 bg-amber-50 text-amber-950 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-100"
      >
        <p className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-1 px-4 py-2 text-sm">
          <strong className="font-semibold">{warning}.</strong>
          <span>
            Newest line <Time value={newestLine} />.
          </span>
          <Link prefetch={false} href="/sources">
            Sources
          </Link>
          {running ? <LiveRefresh everyMs={REFRESH_MS} /> : null}
        </p>
      </div>
    );
  return (
    <div data-freshness="current" className="border-b border-slate-200 dark:border-slate-800">
      <p className="mx-auto flex max-w-7xl flex-wrap items-center gap-x-3 gap-y-1 px-4 py-1 text-xs muted">
        <span>
          Newest line <Time value={newestLine} /> ({describeAge(now.getTime() - newestLine.getTime())} ago)
          {running ? ", follow running" : ""}.
        </span>
        {running ? <LiveRefresh everyMs={REFRESH_MS} /> : null}
      </p>
    </div>
  );
}
