import Link from "next/link";
import { messagesHref } from "@/components/links";
import { MessageList } from "@/components/messages/message-list";
import { Empty } from "@/components/ui/empty";
import { Pager } from "@/components/ui/pager";
import { count } from "@/lib/core/format";
import type { MessageFilters } from "@/lib/queries/message-filters";
import { MESSAGE_SORTS, type MessageSort, type MessageView, PAGE_SIZES } from "@/lib/queries/message-params";
import { searchMessages } from "@/lib/queries/messages";
import { hasMail, noMailLogged } from "@/lib/queries/range-activity";

const SORT_LABELS: Record<MessageSort, string> = {
  newest: "newest first",
  oldest: "oldest first",
  sender: "by sender",
  recipient: "by recipient",
};

/** Links that change one part of the view (sort, size), back to page 1. */
function ViewLinks<T extends string | number>({
  label,
  options,
  current,
  href,
  words,
}: {
  label: string;
  options: readonly T[];
  current: T;
  href: (value: T) => string;
  words: (value: T) => string;
}) {
  return (
    <nav aria-label={label} className="flex flex-wrap items-center gap-x-2 text-sm">
      <span className="muted">{label}:</span>
      {options.map((option) =>
        option === current ? (
          <span key={option} aria-current="true" className="font-semibold">
            {words(option)}
          </span>
        ) : (
          <Link key={option} prefetch={false} href={href(option)}>
            {words(option)}
          </Link>
        ),
      )}
    </nav>
  );
}

/** One page of search results: where it is in the whole, order and size, export, pager. */
export async function MessageSearchSection({
  filters,
  view,
  query,
}: {
  filters: MessageFilters;
  view: MessageView;
  /** The URL's search parameters, to keep in the links. */
  query: Record<string, string | undefined>;
}) {
  const page = await searchMessages(filters, view);
  const link = (change: Record<string, string | number | null>) =>
    messagesHref({ ...query, page: null, ...change });
  if (page.rows.length === 0) {
    const range = { since: filters.since, until: filters.until };
    if (page.matched === 0 && (range.since || range.until) && !(await hasMail(range)))
      return <Empty>{noMailLogged(range)}</Empty>;
    return (
      <Empty>
        {page.matched > 0
          ? `This page is past the end: ${count(page.matched)} messages match.`
          : "No message matches. Addresses, domains and queue ids ignore case; a recipient is found by the address the sender wrote or by the mailbox it reached."}
      </Empty>
    );
  }
  const first = page.offset + 1;
  const last = page.offset + page.rows.length;
  const total = count(page.matched);
  const more = page.more;
  const exportHref = (format: "csv" | "json") =>
    messagesHref({ ...query, page: null, size: null, format }).replace("/messages?", "/messages/export?");
  return (
    <>
      <div className="mb-2 flex flex-wrap items-center justify-between gap-x-6 gap-y-2">
        <p className="text-sm" aria-live="polite" data-position="">
          <span className="font-semibold">
            {count(first)}–{count(last)}
          </span>{" "}
          of {total} message{page.matched === 1 ? "" : "s"}
        </p>
        <ViewLinks
          label="Order"
          options={MESSAGE_SORTS}
          current={view.sort}
          href={(sort) => link({ sort: sort === "newest" ? null : sort })}
          words={(sort) => SORT_LABELS[sort]}
        />
        <ViewLinks
          label="Per page"
          options={PAGE_SIZES}
          current={view.size}
          href={(size) => link({ size: size === 50 ? null : size })}
          words={String}
        />
        <p className="text-sm">
          <span className="muted">Export: </span>
          <a href={exportHref("csv")} download>
            CSV
          </a>{" "}
          ·{" "}
          <a href={exportHref("json")} download>
            JSON
          </a>
        </p>
      </div>
      <MessageList rows={page.rows} />
      <Pager
        label="Result pages"
        words={["← Previous", "Next →"]}
        previous={
          view.page > 1 ? messagesHref({ ...query, page: view.page - 1 === 1 ? null : view.page - 1 }) : null
        }
        next={more ? messagesHref({ ...query, page: view.page + 1 }) : null}
        status={`${count(first)}–${count(last)} of ${total}`}
      />
    </>
  );
}
