import type { Metadata } from "next";
import Link from "next/link";
import { Suspense } from "react";
import { UsersListSection } from "@/app/_sections/users-list";
import { withQuery } from "@/components/links";
import { RangePicker } from "@/components/overview/range-picker";
import { PageHeader } from "@/components/ui/page-header";
import { BlockSkeleton } from "@/components/ui/skeleton";
import { readDataSpan } from "@/lib/queries/dashboard-reads";
import { rangeQuery, resolveRange } from "@/lib/queries/time-range";
import { defaultDirection, type SortDirection, USER_SORTS, type UserSort } from "@/lib/queries/user-sort";

export const metadata: Metadata = { title: "Users" };

type Params = Record<string, string | string[] | undefined>;
const one = (value: string | string[] | undefined) => (Array.isArray(value) ? value[0] : value);

export default async function UsersPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const { value: span } = await readDataSpan();
  const range = resolveRange({ range: one(params.range), from: one(params.from), to: one(params.to) }, span);
  const sortParam = one(params.sort);
  const sort: UserSort = USER_SORTS.includes(sortParam as UserSort) ? (sortParam as UserSort) : "misdirected";
  const dirParam = one(params.dir);
  const direction: SortDirection =
    dirParam === "asc" || dirParam === "desc" ? dirParam : defaultDirection(sort);
  const show = one(params.show) === "mailboxes" ? "mailboxes" : "all";
  const query = { ...rangeQuery(range), ...(show === "mailboxes" ? { show } : {}) };
  return (
    <>
      <PageHeader title="Users" actions={<RangePicker path="/users" range={range} />}>
        Does retraining work for each person? DSPAM users that are not mailboxes (aliases, external addresses,
        bare logins) are dictionaries nobody can train.
      </PageHeader>
      <p className="mb-4 text-sm">
        Show:{" "}
        <Link
          prefetch={false}
          href={withQuery("/users", { ...rangeQuery(range), sort, dir: direction })}
          aria-current={show === "all" ? "true" : undefined}
          className={show === "all" ? "font-semibold" : ""}
        >
          every DSPAM user
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
        <UsersListSection range={range} sort={sort} direction={direction} show={show} query={query} />
      </Suspense>
    </>
  );
}
