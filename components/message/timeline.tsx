import Link from "next/link";
import { filterLabel, filterUserWord } from "@/lib/filters/registry";
import { isUserInferred } from "@/lib/filters/rspamd/verdict-status";
import type { Hop, JourneyTimeline } from "@/lib/queries/message-timeline";
import { describeLink, describeReception } from "@/lib/queries/message-timeline";
import { messagesHref, userHref } from "../links";
import { Badge, VerdictBadge } from "../ui/badge";
import { Clip } from "../ui/clip";
import { CopyButton } from "../ui/copy-button";
import { TrainingOutcome } from "../ui/status-badge";
import { DeliveryList } from "./delivery-list";
import { HopItem } from "./hop-item";

function Received({ hop }: { hop: Extract<Hop, { kind: "received" }> }) {
  const q = hop.queue;
  const client = q.clientName ? `${q.clientName}[${q.clientIp ?? ""}]` : null;
  const onPort25 = q.via === "smtpd" && (q.service ?? "postfix") === "postfix";
  return (
    <HopItem
      tone="sky"
      ts={hop.ts}
      lines={hop.lines}
      title={
        <>
          Received as <span className="font-mono">{q.queueId}</span>
          <CopyButton text={q.queueId} label={`Copy queue id ${q.queueId}`} />
        </>
      }
    >
      <p>
        {client ? (
          <>
            from <Clip text={client} className="wrap-anywhere" />{" "}
          </>
        ) : null}
        on {describeReception(q)}
        {q.saslUsername ? (
          <>
            , authenticated as{" "}
            <Link href={userHref(q.saslUsername)} prefetch={false} className="font-medium wrap-anywhere">
              <Clip text={q.saslUsername} max={120} />
            </Link>
            {q.saslMethod ? (
              <>
                {" "}
                (<Clip text={q.saslMethod} max={40} />)
              </>
            ) : null}{" "}
            {onPort25 ? <Badge tone="amber">login on port 25</Badge> : null}
          </>
        ) : null}
      </p>
      <p className="muted">
        sender <Clip text={q.sender === "" ? "<> (bounce)" : q.sender} max={120} className="wrap-anywhere" />
        {q.size !== null ? ` · ${q.size.toLocaleString("en-US")} bytes` : ""}
        {q.nrcpt !== null ? ` · ${q.nrcpt} recipient${q.nrcpt === 1 ? "" : "s"}` : ""}
      </p>
      {hop.handoffs.length > 0 ? (
        <>
          <p className="mt-2 font-medium">Handed to the content filter</p>
          <DeliveryList deliveries={hop.handoffs} />
        </>
      ) : null}
      {hop.direct.length > 0 ? (
        <>
          <p className="mt-2 font-medium">Delivered without the content filter</p>
          <DeliveryList deliveries={hop.direct} />
        </>
      ) : null}
    </HopItem>
  );
}

// "DSPAM", or "DSPAM and Rspamd" while a server moves from one to the other.
const filterNames = (verdicts: readonly { filter: string }[]) =>
  [...new Set(verdicts.map((v) => filterLabel(v.filter)))].join(" and ");

function Verdicts({ hop }: { hop: Extract<Hop, { kind: "verdicts" }> }) {
  return (
    <HopItem
      tone="violet"
      ts={hop.ts}
      lines={hop.lines}
      title={`${filterNames(hop.verdicts)} classified ${hop.verdicts.length} cop${hop.verdicts.length === 1 ? "y" : "ies"}`}
    >
      <ul className="space-y-1">
        {hop.verdicts.map((v) => (
          <li key={v.id} className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <VerdictBadge verdict={v.result} />
            {v.filterUser ? (
              <>
                <span>as {filterUserWord(v.filter)}</span>
                <Link href={userHref(v.filterUser)} prefetch={false} className="font-medium wrap-anywhere">
                  <Clip text={v.filterUser} max={120} />
                </Link>
              </>
            ) : (
              <span>with {filterLabel(v.filter)}'s global statistics</span>
            )}
            {isUserInferred(v) ? (
              <span className="text-xs muted">(inferred: no log line named it)</span>
            ) : null}
            {v.score !== null ? <span className="text-xs muted">score {v.score}</span> : null}
            {v.action ? <span className="text-xs muted">action {v.action}</span> : null}
            {v.signature ? (
              <span className="font-mono text-xs muted wrap-anywhere">signature {v.signature}</span>
            ) : null}
            {v.queueId ? <span className="font-mono text-xs muted">copy {v.queueId}</span> : null}
          </li>
        ))}
      </ul>
    </HopItem>
  );
}

function Reinjected({ hop }: { hop: Extract<Hop, { kind: "reinjected" }> }) {
  const q = hop.queue;
  return (
    <HopItem
      tone="slate"
      ts={hop.ts}
      lines={hop.lines}
      title={
        <>
          {q.via === "internal" ? "Forwarded" : "Back from the filter"} as{" "}
          <span className="font-mono">{q.queueId}</span>
          <CopyButton text={q.queueId} label={`Copy queue id ${q.queueId}`} />
        </>
      }
    >
      {q.parentQueueId ? (
        <p className="muted">
          linked to <span className="font-mono">{q.parentQueueId}</span>: {describeLink(q.linkRule)}
          {q.linkRecipient ? (
            <>
              {" "}
              (for <Clip text={q.linkRecipient} max={120} className="wrap-anywhere" />)
            </>
          ) : null}{" "}
          <Badge tone={q.linkConfidence === "exact" ? "green" : "amber"}>{q.linkConfidence ?? "?"}</Badge>
        </p>
      ) : null}
      <DeliveryList deliveries={hop.deliveries} />
    </HopItem>
  );
}

function Mailbox({ hop }: { hop: Extract<Hop, { kind: "mailbox" }> }) {
  return (
    <HopItem tone="green" ts={hop.ts} lines={hop.lines} title="Stored by Dovecot">
      {hop.deliveries.length === 0 ? (
        <p className="muted">Dovecot lines matched, no mailbox delivery.</p>
      ) : (
        <ul className="space-y-1">
          {hop.deliveries.map((d) => (
            <li key={d.id} className="flex flex-wrap items-center gap-x-2">
              <span className="font-medium wrap-anywhere">
                <Clip text={d.mailboxUser ?? d.recipient} max={120} />
              </span>
              <span>→</span>
              {d.folder ? (
                <Badge tone={/junk|spam/i.test(d.folder) ? "red" : "green"}>
                  <Clip text={d.folder} max={60} />
                </Badge>
              ) : (
                <span className="muted">folder not logged</span>
              )}
              {d.copies > 1 ? <Badge tone="red">copy of {d.copies}</Badge> : null}
            </li>
          ))}
        </ul>
      )}
    </HopItem>
  );
}

function Training({ hop }: { hop: Extract<Hop, { kind: "training" }> }) {
  const t = hop.training;
  const misdirected =
    t.classifiedUser !== null &&
    t.filterUser !== null &&
    t.classifiedUser.toLowerCase() !== t.filterUser.toLowerCase();
  return (
    <HopItem
      tone={t.outcome === "applied" ? "green" : t.outcome === "failed" ? "red" : "amber"}
      ts={hop.ts}
      lines={hop.lines}
      title={`Retrained as ${t.direction}`}
    >
      <p className="flex flex-wrap items-center gap-x-2 gap-y-1">
        <TrainingOutcome outcome={t.outcome} />
        <span>
          IMAP login{" "}
          {t.login ? (
            <Link
              href={messagesHref({ sasl: t.login })}
              prefetch={false}
              className="font-medium wrap-anywhere"
            >
              <Clip text={t.login} max={120} />
            </Link>
          ) : (
            "?"
          )}
          {t.fromMailbox || t.toMailbox ? (
            <>
              {" "}
              moved it <Clip text={`${t.fromMailbox ?? "?"} → ${t.toMailbox ?? "?"}`} max={200} />
            </>
          ) : null}
        </span>
      </p>
      <p className="mt-1">
        retrained {filterUserWord(t.filter)}{" "}
        {t.filterUser ? (
          <Link href={userHref(t.filterUser)} prefetch={false} className="font-medium wrap-anywhere">
            <Clip text={t.filterUser} max={120} />
          </Link>
        ) : (
          "?"
        )}
        {t.classifiedUser ? (
          <>
            ; classified by{" "}
            <Link href={userHref(t.classifiedUser)} prefetch={false} className="font-medium wrap-anywhere">
              <Clip text={t.classifiedUser} max={120} />
            </Link>
          </>
        ) : null}{" "}
        {misdirected ? <Badge tone="red">wrong {filterUserWord(t.filter)}</Badge> : null}
      </p>
      {t.reason ? (
        <p className="mt-1 font-mono text-xs wrap-anywhere muted">
          <Clip text={t.reason} max={400} />
        </p>
      ) : null}
    </HopItem>
  );
}

function hopKey(hop: Hop): string {
  switch (hop.kind) {
    case "received":
    case "reinjected":
      return `${hop.kind}-${hop.queue.id}`;
    case "training":
      return `training-${hop.training.id}`;
    case "verdicts":
    case "mailbox":
      return hop.kind;
  }
}

function HopView({ hop }: { hop: Hop }) {
  switch (hop.kind) {
    case "received":
      return <Received hop={hop} />;
    case "verdicts":
      return <Verdicts hop={hop} />;
    case "reinjected":
      return <Reinjected hop={hop} />;
    case "mailbox":
      return <Mailbox hop={hop} />;
    case "training":
      return <Training hop={hop} />;
  }
}

/** Every hop of one journey, top to bottom in time. */
export function Timeline({ timeline }: { timeline: JourneyTimeline }) {
  return (
    <ol className="panel p-4 sm:p-5">
      {timeline.hops.map((hop) => (
        <HopView key={hopKey(hop)} hop={hop} />
      ))}
    </ol>
  );
}
