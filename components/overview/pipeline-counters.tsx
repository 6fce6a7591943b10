import { filtersLabel } from "@/lib/filters/registry";
import type { MessageFilters } from "@/lib/queries/message-filters";
import { messageQuery } from "@/lib/queries/message-filters";
import { MESSAGE_COUNTERS, type MessageCounter, type Overview } from "@/lib/queries/stats";
import { messagesHref, trainingsHref } from "../links";
import type { Tone } from "../ui/badge";
import { Stat } from "../ui/stat";

type Counter = {
  label: string | ((o: Overview) => string);
  counter: MessageCounter;
  value: (o: Overview) => number;
  tone?: Tone;
  hint?: string;
};

const num = (n: number) => n.toLocaleString("en-US");

/** Each counter and the message set its link opens (stats.ts MESSAGE_COUNTERS): the same filter. */
const COUNTERS: Counter[] = [
  { label: "Messages", counter: "messages", value: (o) => o.messages },
  { label: "Inbound", counter: "inbound", value: (o) => o.byOrigin.inbound, tone: "sky" },
  {
    label: "Authenticated",
    counter: "authenticated",
    value: (o) => o.byOrigin.authenticated,
    tone: "violet",
  },
  {
    label: "Local",
    counter: "local",
    value: (o) => o.byOrigin.local,
    tone: "amber",
    hint: "cron, scripts, bounces",
  },
  {
    label: (o) => `Filtered by ${filtersLabel(o.filters)}`,
    counter: "filtered",
    value: (o) => o.filtered,
    tone: "green",
  },
  {
    label: "Bypassed the filter",
    counter: "bypassed",
    value: (o) => o.bypassed,
    hint: "inbound, delivered unfiltered",
  },
  {
    label: "Waited for the filter",
    counter: "waitedForFilter",
    value: (o) => o.deferredToFilter,
    hint: "hand-off not accepted at first",
  },
  { label: "Spam", counter: "spam", value: (o) => o.byVerdict.spam, tone: "red" },
  { label: "Innocent", counter: "innocent", value: (o) => o.byVerdict.innocent, tone: "green" },
  { label: "Not filtered", counter: "none", value: (o) => o.byVerdict.none },
  { label: "Still queued", counter: "queued", value: (o) => o.inFlight, hint: "when the logs end" },
  {
    label: "In progress",
    counter: "inProgress",
    value: (o) => o.inProgress,
    hint: "still followed: queued, in the filter, waiting for late lines",
  },
];

// Counters where any number is a problem.
const WARN: Partial<Record<MessageCounter, Tone>> = {
  bypassed: "amber",
  waitedForFilter: "red",
  queued: "amber",
};

/** The pipeline's counters for the range, each a link to exactly the messages it counted. */
export function PipelineCounters({ overview, range }: { overview: Overview; range: Record<string, string> }) {
  const href = (filters: MessageFilters) => messagesHref({ ...messageQuery(filters), ...range });
  const t = overview.trainings;
  return (
    <div className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6">
      {COUNTERS.map((c) => {
        const value = c.value(overview);
        return (
          <Stat
            key={c.counter}
            label={typeof c.label === "string" ? c.label : c.label(overview)}
            value={value}
            tone={c.tone ?? (value > 0 ? WARN[c.counter] : undefined) ?? "slate"}
            href={href(MESSAGE_COUNTERS[c.counter])}
            hint={c.counter === "messages" ? `${num(overview.deliveredCopies)} copies delivered` : c.hint}
          />
        );
      })}
      <Stat
        label="Retrainings"
        value={t.attempts}
        tone={t.failed > 0 ? "red" : "green"}
        href={trainingsHref("all", range)}
        hint={`${num(t.applied)} applied · ${num(t.failed)} failed · ${num(t.misdirected)} to the wrong user`}
      />
    </div>
  );
}
