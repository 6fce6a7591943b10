import Link from "next/link";
import { FINDING_DEFINITIONS } from "@/lib/detect/kinds";
import type { FindingCard, FindingSummary } from "@/lib/queries/finding-list";
import { findingHref, messagesHref, userHref } from "../links";
import { Badge, SeverityBadge, StatusBadge } from "../ui/badge";
import { Clip } from "../ui/clip";
import { Prose } from "../ui/prose";
import { Time } from "../ui/time";

const USERS_SHOWN = 60;
const num = (n: number) => n.toLocaleString("en-US");
const plural = (n: number, one: string, many = `${one}s`) => `${num(n)} ${n === 1 ? one : many}`;

/** The users and messages a finding covers, folded: each user a link, the messages one link to their list. */
function Coverage({ card, range }: { card: FindingCard; range: Record<string, string> }) {
  const unit = FINDING_DEFINITIONS[card.kind]?.unit ?? "message";
  const people = [...new Set([...card.users, ...card.recipients])].sort();
  return (
    <details className="mt-2 text-sm">
      <summary className="cursor-pointer text-sky-700 dark:text-sky-400">
        Covers {plural(card.count, unit)}
        {unit !== "message" && card.messages > 0 ? `, ${plural(card.messages, "message")}` : ""}
        {people.length > 0 ? `, ${plural(people.length, "address", "addresses")} or users` : ""}
      </summary>
      <div className="mt-2 space-y-2">
        {people.length > 0 ? (
          <ul aria-label="Users and addresses" className="flex flex-wrap gap-x-3 gap-y-1">
            {people.slice(0, USERS_SHOWN).map((u) => (
              <li key={u}>
                <Link href={userHref(u)} prefetch={false} className="wrap-anywhere">
                  <Clip text={u} max={80} />
                </Link>
              </li>
            ))}
            {people.length > USERS_SHOWN ? (
              <li className="muted">and {num(people.length - USERS_SHOWN)} more</li>
            ) : null}
          </ul>
        ) : null}
        {card.messages > 0 ? (
          <p>
            <Link href={messagesHref({ finding: String(card.id), ...range })} prefetch={false}>
              {card.messages === 1 ? "The message" : `All ${num(card.messages)} messages`} →
            </Link>
          </p>
        ) : null}
      </div>
    </details>
  );
}

/** Findings as cards: what is wrong (one line), how much, and the link to its evidence; full cards also its fix, coverage and related findings. */
export function FindingList({
  findings,
  compact = false,
  range = {},
}: {
  findings: readonly (FindingSummary | FindingCard)[];
  compact?: boolean;
  range?: Record<string, string>;
}) {
  return (
    <ul className="space-y-3">
      {findings.map((f) => {
        const card = "related" in f ? f : null;
        return (
          <li key={f.id} className="panel p-4">
            <div className="flex flex-wrap items-center gap-2">
              <SeverityBadge severity={f.severity} />
              <Link href={findingHref(f.id)} prefetch={false} className="font-semibold">
                {f.title}
              </Link>
              <Clip text={f.about} max={200} className="text-sm wrap-anywhere muted" />
              <StatusBadge status={f.status} />
              {f.newSinceStatus > 0 ? (
                <Badge tone="red">
                  {f.newSinceStatus} new since {f.status}
                </Badge>
              ) : null}
              <span className="ml-auto text-xs muted">
                {plural(f.count, FINDING_DEFINITIONS[f.kind]?.unit ?? "piece")} · last{" "}
                <Time value={f.lastSeen} />
              </span>
            </div>
            <p className="mt-2 text-sm break-words">
              <Prose text={f.summary} />
            </p>
            {compact ? null : (
              <p className="mt-2 text-sm break-words muted">
                <span className="font-medium text-slate-700 dark:text-slate-300">Fix: </span>
                <Prose text={f.fix} />
              </p>
            )}
            {card ? <Coverage card={card} range={range} /> : null}
            {card && card.related.length > 0 ? (
              <p className="mt-2 text-sm">
                <span className="muted">Related: </span>
                {card.related.map((r, i) => (
                  <span key={r.id}>
                    {i > 0 ? " · " : ""}
                    <Link href={findingHref(r.id)} prefetch={false}>
                      {r.title}
                    </Link>
                  </span>
                ))}
              </p>
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}
