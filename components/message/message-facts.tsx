import Link from "next/link";
import type { ReactNode } from "react";
import type { JourneyTimeline } from "@/lib/queries/message-timeline";
import { messagesHref, userHref } from "../links";
import { Badge, OriginBadge, VerdictBadge } from "../ui/badge";
import { Clip } from "../ui/clip";
import { Time } from "../ui/time";

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase dark:text-slate-400">
        {label}
      </dt>
      <dd className="mt-0.5 wrap-anywhere">{children}</dd>
    </div>
  );
}

/** The few facts that identify a journey: who sent it, from where, what the filter said, how many copies. */
export function MessageFacts({ timeline }: { timeline: JourneyTimeline }) {
  const j = timeline.journey;
  return (
    <div className="panel mb-4 p-4">
      <div className="mb-3 flex flex-wrap items-center gap-2">
        <OriginBadge origin={j.origin} />
        <VerdictBadge verdict={j.verdict} />
        {!j.complete ? <Badge tone="amber">still queued</Badge> : null}
        {j.parentRelation ? <Badge tone="slate">{j.parentRelation}</Badge> : null}
        {timeline.duplicates.map((d) => (
          <Badge key={d.recipient} tone="red">
            {/* One inline run: a flex badge drops the space between two children. */}
            <span>
              <Clip text={d.recipient} max={60} /> got {d.copies} copies
            </span>
          </Badge>
        ))}
      </div>
      <dl className="grid grid-cols-1 gap-x-6 gap-y-3 text-sm sm:grid-cols-2 lg:grid-cols-3">
        <Fact label="Subject">
          <Clip text={j.subject} max={200} />
        </Fact>
        <Fact label="Sender">
          {j.sender ? (
            <Link href={messagesHref({ sender: j.sender })} prefetch={false}>
              <Clip text={j.sender} max={120} />
            </Link>
          ) : j.sender === "" ? (
            "<> (bounce)"
          ) : (
            "—"
          )}
        </Fact>
        <Fact label="First seen">
          <Time value={j.firstTs} />
        </Fact>
        <Fact label="Client">
          <Clip text={j.clientName ? `${j.clientName}[${j.clientIp ?? ""}]` : null} max={120} />
        </Fact>
        <Fact label="Authenticated as">
          {j.saslUsername ? (
            <Link href={userHref(j.saslUsername)} prefetch={false}>
              <Clip text={j.saslUsername} max={120} />
            </Link>
          ) : (
            <span className="text-slate-400">—</span>
          )}
        </Fact>
        <Fact label="Delivered copies">{j.delivered}</Fact>
        {j.hosts.length > 0 ? (
          <Fact label={j.hosts.length > 1 ? "Mail servers" : "Mail server"}>
            {j.hosts.map((h, i) => (
              <span key={h.host}>
                {i > 0 ? ", " : null}
                <Link href={messagesHref({ host: h.host })} prefetch={false}>
                  <Clip text={h.host} max={60} />
                </Link>
              </span>
            ))}
          </Fact>
        ) : null}
      </dl>
    </div>
  );
}
