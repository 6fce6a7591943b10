import { filterLabel } from "@/lib/filters/registry";
import type { DeliveryView } from "@/lib/queries/message-timeline";
import { Badge } from "../ui/badge";
import { Clip } from "../ui/clip";
import { DeliveryStatus } from "../ui/status-badge";
import { Time } from "../ui/time";

function where(d: DeliveryView): string {
  if (d.destination === "mailbox")
    return d.folder ? `mailbox, folder ${d.folder}` : "mailbox (folder not logged)";
  if (d.destination === "external") return `remote server ${d.relay}`;
  if (d.destination === "filter") return `content filter ${d.relay}`;
  return d.relay;
}

/** Delivery attempts of one queue: recipient, where it went, status, the filter's verdict it carried. */
export function DeliveryList({ deliveries }: { deliveries: readonly DeliveryView[] }) {
  if (deliveries.length === 0) return null;
  return (
    <ul className="mt-2 space-y-1.5 text-sm">
      {deliveries.map((d) => (
        <li key={d.id} className="flex flex-wrap items-center gap-x-2 gap-y-1">
          <DeliveryStatus status={d.status} />
          <span className="font-medium wrap-anywhere">
            <Clip text={d.recipient} max={120} />
          </span>
          {d.origRecipient ? (
            <span className="muted wrap-anywhere">
              (for <Clip text={d.origRecipient} max={120} />)
            </span>
          ) : null}
          <span className="muted wrap-anywhere">
            → <Clip text={where(d)} max={120} />
          </span>
          {d.verdictClass ? (
            <span className="text-xs muted">
              {filterLabel(d.verdictFilter ?? "dspam")} {d.verdictClass}
              {d.verdictUser ? (
                <>
                  {" "}
                  as <Clip text={d.verdictUser} max={80} />
                </>
              ) : null}
            </span>
          ) : null}
          {d.copies > 1 ? (
            <Badge tone="red" title="this recipient received the message more than once">
              copy of {d.copies}
            </Badge>
          ) : null}
          <span className="text-xs muted">
            <Time value={d.ts} />
          </span>
          {d.status !== "sent" && d.reply ? (
            <div className="w-full pl-1 font-mono text-xs wrap-anywhere muted">
              {d.dsn} <Clip text={d.reply} max={300} />
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}
