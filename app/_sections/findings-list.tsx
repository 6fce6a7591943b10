import { FindingList } from "@/components/findings/finding-list";
import { findingsHref } from "@/components/links";
import { Empty } from "@/components/ui/empty";
import { Pager } from "@/components/ui/pager";
import type { FindingKind, Severity } from "@/lib/detect/types";
import { getFindingsPage } from "@/lib/queries/finding-list";
import { hasMail, noMailLogged } from "@/lib/queries/range-activity";
import { cachedRead } from "@/lib/queries/read-cache";
import type { TimeRange } from "@/lib/queries/stats";

export const FINDINGS_PAGE_SIZE = 20;

/** One page of the findings matching the filters, in a range, with their fix, coverage and related findings. */
export async function FindingsListSection({
  kinds,
  severities,
  statuses,
  range,
  bounded,
  page,
  query,
  exact,
}: {
  kinds: FindingKind[];
  severities: Severity[];
  statuses: string[];
  range: TimeRange;
  /** A range was asked for: say so when it holds no mail. */
  bounded: boolean;
  page: number;
  /** The URL state (filters, range) to keep in page links. */
  query: Record<string, string>;
  /** The exact range counted, for links to the messages of a finding. */
  exact: Record<string, string>;
}) {
  const key = `findings:${kinds}:${severities}:${statuses}:${range.since.getTime()}-${range.until.getTime()}@${range.host ?? ""}:${page}`;
  const { value } = await cachedRead(key, () =>
    getFindingsPage({ kinds, severities, statuses, ...range }, { number: page, size: FINDINGS_PAGE_SIZE }),
  );
  if (value.total === 0) {
    if (bounded && !(await hasMail(range))) return <Empty>{noMailLogged(range)}</Empty>;
    return (
      <Empty>
        No finding matches.{" "}
        {statuses.includes("muted") ? "" : "Muted findings are hidden unless you ask for them."}
      </Empty>
    );
  }
  const pages = Math.ceil(value.total / FINDINGS_PAGE_SIZE);
  return (
    <>
      <p className="mb-2 text-sm muted" aria-live="polite">
        {value.total.toLocaleString("en-US")} finding{value.total === 1 ? "" : "s"}, most severe first.
      </p>
      <FindingList findings={value.cards} range={exact} />
      {pages > 1 ? (
        <Pager
          label="Finding pages"
          previous={page > 1 ? findingsHref({ ...query, page: page - 1 === 1 ? null : page - 1 }) : null}
          next={page < pages ? findingsHref({ ...query, page: page + 1 }) : null}
          status={`page ${page} of ${pages}`}
          words={["← Previous", "Next →"]}
        />
      ) : null}
    </>
  );
}
