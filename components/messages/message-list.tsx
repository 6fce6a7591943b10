import Link from "next/link";
import { kindTitle } from "@/lib/detect/kinds";
import type { MessageRow } from "@/lib/queries/messages";
import { findingHref, messageHref } from "../links";
import { Badge, OriginBadge, SeverityBadge, VerdictBadge } from "../ui/badge";
import { Clip } from "../ui/clip";
import { Time } from "../ui/time";

function Recipients({ row }: { row: MessageRow }) {
  const shown = row.recipients.slice(0, 4);
  if (shown.length === 0) return <span className="muted">no final delivery</span>;
  return (
    <>
      {shown.map((r, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: two copies to one address are two identical rows
        <span key={`${r.address}-${i}`} className="break-words">
          {i > 0 ? ", " : ""}
          <Clip text={r.address} max={80} soft />
          {r.original ? (
            <span className="muted">
              {" "}
              (for <Clip text={r.original} max={80} soft />)
            </span>
          ) : null}
          {r.folder ? (
            <span className="muted">
              {" "}
              (<Clip text={r.folder} max={30} />)
            </span>
          ) : null}
          {r.status !== "sent" ? (
            <span className="text-amber-700 dark:text-amber-400"> {r.status}</span>
          ) : null}
        </span>
      ))}
      {row.recipients.length > shown.length ? (
        <span className="muted"> +{row.recipients.length - shown.length}</span>
      ) : null}
      {row.writtenTo.length > 0 ? (
        <span className="muted">
          {" "}
          (written to{" "}
          {row.writtenTo.slice(0, 3).map((a, i) => (
            <span key={a}>
              {i > 0 ? ", " : ""}
              <Clip text={a} max={80} soft />
            </span>
          ))}
          {row.writtenTo.length > 3 ? ` +${row.writtenTo.length - 3}` : ""})
        </span>
      ) : null}
    </>
  );
}

/** Search results: one card per message, the link to its drill-down first. */
export function MessageList({ rows }: { rows: readonly MessageRow[] }) {
  return (
    <ul className="panel divide-y divide-slate-100 dark:divide-slate-800">
      {rows.map((row) => (
        <li
          key={row.id}
          className="grid gap-x-4 gap-y-1 p-3 text-sm md:grid-cols-[10.5rem_minmax(0,1fr)_minmax(0,1fr)]"
        >
          <div className="flex flex-wrap items-center gap-1.5 md:flex-col md:items-start">
            <span className="text-xs muted">
              <Time value={row.firstTs} />
            </span>
            <span className="flex flex-wrap gap-1">
              <OriginBadge origin={row.origin} />
              <VerdictBadge verdict={row.verdict} />
              {row.parentRelation ? <Badge tone="slate">{row.parentRelation}</Badge> : null}
              {row.inProgress ? <Badge tone="amber">in progress</Badge> : null}
            </span>
          </div>
          <div className="min-w-0">
            <Link
              href={messageHref(row.messageId ?? row.key)}
              prefetch={false}
              className="font-medium break-words"
            >
              <Clip text={row.subject ?? "(no subject logged)"} max={140} />
            </Link>
            <div className="font-mono text-xs wrap-anywhere muted">
              {row.queueId} · <Clip text={row.messageId ? `<${row.messageId}>` : "no Message-ID"} max={100} />
            </div>
          </div>
          <div className="min-w-0">
            <div className="wrap-anywhere">
              <span className="muted">from </span>
              <Clip text={row.sender === "" ? "<>" : row.sender} max={80} />
              {row.saslUsername ? (
                <span className="muted">
                  {" "}
                  (login <Clip text={row.saslUsername} max={60} />)
                </span>
              ) : null}
            </div>
            <div>
              <span className="muted">to </span>
              <Recipients row={row} />
            </div>
            {row.findings.length > 0 ? (
              <div className="mt-1 flex flex-wrap gap-1">
                {row.findings.map((f) => (
                  <Link key={f.id} href={findingHref(f.id)} prefetch={false} className="no-underline">
                    <SeverityBadge severity={f.severity} />{" "}
                    <span className="text-xs">{kindTitle(f.kind)}</span>
                  </Link>
                ))}
              </div>
            ) : null}
          </div>
        </li>
      ))}
    </ul>
  );
}
