import Link from "next/link";
import type { EvidenceRow } from "@/lib/queries/finding-detail";
import { messageHref, userHref } from "../links";
import { SeverityBadge } from "../ui/badge";
import { Clip } from "../ui/clip";
import { Time } from "../ui/time";
import { describeEvidenceDetail, describeEvidenceRef } from "./evidence-words";

/** The facts a detector recorded, in words (never markup). */
function Detail({ detail }: { detail: Record<string, unknown> }) {
  const { facts, notes } = describeEvidenceDetail(detail);
  if (facts.length === 0 && notes.length === 0) return null;
  return (
    <>
      {facts.length > 0 ? (
        <dl className="mt-1 grid grid-cols-[max-content_minmax(0,1fr)] gap-x-3 gap-y-0.5 text-xs">
          {facts.map((fact) => (
            <div key={fact.label} className="contents">
              <dt className="muted">{fact.label}</dt>
              <dd className="wrap-anywhere">
                <Clip text={fact.value} max={300} />
              </dd>
            </div>
          ))}
        </dl>
      ) : null}
      {notes.map((note) => (
        <p key={note} className="mt-1 text-xs">
          {note}
        </p>
      ))}
    </>
  );
}

/** What the evidence is about: its message (by Message-ID, else its first queue), or a user, retraining or line. */
function Subject({ e }: { e: EvidenceRow }) {
  if (e.messageId)
    return (
      <Link href={messageHref(e.messageId)} prefetch={false} className="font-mono text-xs wrap-anywhere">
        <Clip text={`<${e.messageId}>`} max={120} />
      </Link>
    );
  if (e.journeyKey) {
    const queue = e.journeyKey.split("/").at(-2) ?? e.journeyKey;
    return (
      <Link href={messageHref(queue)} prefetch={false} className="text-xs">
        a message without Message-ID, queue <span className="font-mono">{queue}</span>
      </Link>
    );
  }
  const about = describeEvidenceRef(e.ref);
  return (
    <span className="text-xs">
      {about.text}{" "}
      {about.user ? (
        <Link href={userHref(about.user)} prefetch={false} className="wrap-anywhere">
          <Clip text={about.user} max={120} />
        </Link>
      ) : null}
    </span>
  );
}

/** One page of a finding's evidence: each message, retraining or DSPAM user that shows it. */
export function EvidenceList({ evidence }: { evidence: readonly EvidenceRow[] }) {
  return (
    <ol className="panel divide-y divide-slate-100 dark:divide-slate-800">
      {evidence.map((e) => {
        return (
          <li key={e.id} className="p-3 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <SeverityBadge severity={e.severity} />
              <span className="text-xs muted">
                <Time value={e.ts} />
              </span>
              <Subject e={e} />
            </div>
            {e.users.length > 0 ? (
              <div className="mt-1 flex flex-wrap gap-x-2 text-xs">
                <span className="muted">users</span>
                {e.users.slice(0, 10).map((u) => (
                  <Link key={u} href={userHref(u)} prefetch={false} className="wrap-anywhere">
                    <Clip text={u} max={80} />
                  </Link>
                ))}
              </div>
            ) : null}
            <Detail detail={e.detail} />
          </li>
        );
      })}
    </ol>
  );
}
