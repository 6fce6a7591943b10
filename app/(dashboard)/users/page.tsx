import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { UsersListSection } from "@/app/_sections/users-list";
import { withQuery } from "@/components/links";
import { RangeNotices } from "@/components/overview/range-notices";
import { RangePicker } from "@/components/overview/range-picker";
import { PageHeader } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { choiceProblem, problems } from "@/lib/core/url-params";
import { FINDING_KINDS, type FindingKind } from "@/lib/detect/types";
import { sentence } from "@/lib/detect/words";
import { filtersUserWord } from "@/lib/filters/registry";
import { readDataSpan, readFiltersInUse } from "@/lib/queries/dashboard-reads";
import { queryRange, rangeQuery, resolveRange } from "@/lib/queries/time-range";
import { TRAINING_FILTERS, type TrainingFilter } from "@/lib/queries/trainings";
import { defaultDirection, type SortDirection, USER_SORTS, type UserSort } from "@/lib/queries/user-sort";

export const metadata: Metadata = { title: "Users" };

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function UsersPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const [{ value: span }, filters] = await Promise.all([readDataSpan(), readFiltersInUse()]);
  const range = resolveRange(
    { range: one(params.range), from: one(params.from), to: one(params.to), host: one(params.host) },
    span,
  );
  const sortParam = one(params.sort);
  const sort: UserSort = USER_SORTS.includes(sortParam as UserSort) ? (sortParam as UserSort) : "misdirected";
  const dirParam = one(params.dir);
  const direction: SortDirection =
    dirParam === "asc" || dirParam === "desc" ? dirParam : defaultDirection(sort);
  const show = one(params.show) === "mailboxes" ? "mailboxes" : "all";
  const retrainsParam = one(params.retrains);
  const retrains: TrainingFilter = TRAINING_FILTERS.includes(retrainsParam as TrainingFilter)
    ? (retrainsParam as TrainingFilter)
    : "misdirected";
  const findings = (one(params.finding) ?? "")
    .split(",")
    .filter((k): k is FindingKind => FINDING_KINDS.includes(k as FindingKind));
  range.problems.push(
    ...problems(
      choiceProblem("sort", sortParam, USER_SORTS),
      choiceProblem("dir", dirParam, ["asc", "desc"]),
      choiceProblem("show", one(params.show), ["mailboxes", "all"]),
      choiceProblem("retrains", retrainsParam, TRAINING_FILTERS),
    ),
  );
  const query = {
    ...rangeQuery(range),
    ...(show === "mailboxes" ? { show } : {}),
    ...(findings.length ? { finding: findings.join(",") } : {}),
  };
  return (
    <>
      <PageHeader title="Users" actions={<RangePicker path="/users" range={range} />}>
        Does retraining work for each person? {sentence(filtersUserWord(filters))}s that are not mailboxes
        (aliases, external addresses, bare logins) are dictionaries nobody can train.
      </PageHeader>
      <RangeNotices range={range} path="/users" query={query} />
      <p className="mb-4 text-sm">
        Show:{" "}
        <Link
          prefetch={false}
          href={withQuery("/users", { ...rangeQuery(range), sort, dir: direction })}
          aria-current={show === "all" ? "true" : undefined}
          className={show === "all" ? "font-semibold" : ""}
        >
          every {filtersUserWord(filters)}
        </Link>{" "}
        ·{" "}
        <Link
          prefetch={false}
          href={withQuery("/users", { ...rangeQuery(range), sort, dir: direction, show: "mailboxes" })}
          aria-current={show === "mailboxes" ? "true" : undefined}
          className={show === "mailboxes" ? "font-semibold" : ""}
        >
          mailboxes only
        </Link>
      </p>
      <Suspense key={JSON.stringify(params)} fallback={<BlockSkeleton height="h-96" />}>
        <UsersListSection
          range={queryRange(range)}
          sort={sort}
          direction={direction}
          show={show}
          retrains={retrains}
          findings={findings}
          query={query}
        />
      </Suspense>
    </>
  );
}
