import { messagesHref } from "@/components/links";
import { MessageList } from "@/components/messages/message-list";
import { Empty } from "@/components/ui/empty";
import { Pager } from "@/components/ui/pager";
import {
  formatCursor,
  type MessageCursor,
  type MessageFilters,
  searchMessages,
} from "@/lib/queries/messages";
import { hasMail, noMailLogged } from "@/lib/queries/range-activity";

/** One page of search results with its pager; `query` is the URL state to keep in page links. */
export async function MessageSearchSection({
  filters,
  cursor,
  query,
}: {
  filters: MessageFilters;
  cursor: MessageCursor | null;
  query: Record<string, string | undefined>;
}) {
  const page = await searchMessages(filters, { cursor });
  const link = (c: MessageCursor | null) => (c ? messagesHref({ ...query, page: formatCursor(c) }) : null);
  if (page.rows.length === 0) {
    const range = { since: filters.since, until: filters.until };
    if ((range.since || range.until) && !(await hasMail(range))) return <Empty>{noMailLogged(range)}</Empty>;
    return (
      <Empty>No message matches. Searches are exact (a whole address, a whole Message-ID or queue id).</Empty>
    );
  }
  const total = `${page.matched.toLocaleString("en-US")} message${page.matched === 1 ? "" : "s"}`;
  return (
    <>
      <p className="mb-2 text-sm muted" aria-live="polite">
        {total} match{page.matched === 1 ? "es" : ""}, newest first.
      </p>
      <MessageList rows={page.rows} />
      <Pager label="Result pages" previous={link(page.newer)} next={link(page.older)} />
    </>
  );
}
