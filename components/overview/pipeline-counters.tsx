import type { Overview } from "@/lib/queries/stats";
import { messagesHref } from "../links";
import { Stat } from "../ui/stat";

/** The pipeline's counters for the range, each a link to the messages behind it. */
export function PipelineCounters({ overview, range }: { overview: Overview; range: Record<string, string> }) {
  const m = (query: Record<string, string>) => messagesHref({ ...query, ...range });
  const o = overview;
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      <Stat
        label="Messages"
        value={o.messages}
        href={m({})}
        hint={`${o.deliveredCopies.toLocaleString("en-US")} copies delivered`}
      />
      <Stat label="Inbound" value={o.byOrigin.inbound} tone="sky" href={m({ origin: "inbound" })} />
      <Stat
        label="Authenticated"
        value={o.byOrigin.authenticated}
        tone="violet"
        href={m({ origin: "authenticated" })}
      />
      <Stat
        label="Local"
        value={o.byOrigin.local}
        tone="amber"
        href={m({ origin: "local" })}
        hint="cron, scripts, bounces"
      />
      <Stat
        label="Filtered by DSPAM"
        value={o.filtered}
        tone="green"
        hint={`${o.byVerdict.spam.toLocaleString("en-US")} spam · ${o.byVerdict.innocent.toLocaleString("en-US")} innocent`}
      />
      <Stat
        label="Bypassed the filter"
        value={o.bypassed}
        tone={o.bypassed > 0 ? "amber" : "slate"}
        href={m({ origin: "inbound", verdict: "none" })}
        hint="inbound, delivered unfiltered"
      />
      <Stat
        label="Deferred to the filter"
        value={o.deferredToFilter}
        tone={o.deferredToFilter > 0 ? "red" : "slate"}
        hint="hand-off not accepted at first"
      />
      <Stat label="Spam" value={o.byVerdict.spam} tone="red" href={m({ verdict: "spam" })} />
      <Stat label="Innocent" value={o.byVerdict.innocent} tone="green" href={m({ verdict: "innocent" })} />
      <Stat label="Not filtered" value={o.byVerdict.none} href={m({ verdict: "none" })} />
      <Stat
        label="Still queued"
        value={o.inFlight}
        tone={o.inFlight > 0 ? "amber" : "slate"}
        hint="when the logs end"
      />
      <Stat
        label="Retrains applied"
        value={`${o.trainings.applied.toLocaleString("en-US")} / ${o.trainings.attempts.toLocaleString("en-US")}`}
        tone={o.trainings.failed > 0 ? "red" : "green"}
        href="/users?sort=misdirected"
        hint={`${o.trainings.failed} failed · ${o.trainings.misdirected} to the wrong user`}
      />
    </div>
  );
}
