import Link from "next/link";
import type { ReactNode } from "react";
import { FINDING_DEFINITIONS } from "@/lib/detect/kinds";
import { FINDING_KINDS, type FindingKind } from "@/lib/detect/types";
import {
  MESSAGE_STATES,
  type MessageState,
  parseMessageFilters,
  VERDICT_FILTERS,
} from "@/lib/queries/message-filters";
import { ORIGINS } from "@/lib/queries/stats";
import { DateInput } from "../ui/date-input";

/** The form's values as the URL has them (as typed). */
export type SearchValues = Record<string, string | undefined>;

/** How each state reads in the form. */
export const STATE_LABELS: Record<MessageState, string> = {
  filtered: "went through the filter",
  bypassed: "inbound, delivered without the filter",
  "waited-for-filter": "waited for the filter",
  delivered: "delivered",
  deferred: "deferred",
  bounced: "bounced or expired",
  queued: "still queued",
  "in-progress": "in progress",
};

const VERDICT_LABELS: Record<string, string> = { none: "not filtered", judged: "judged (spam or innocent)" };

function Field({ id, label, children }: { id: string; label: string; children: ReactNode }) {
  return (
    <div className="flex min-w-0 flex-col gap-1">
      <label htmlFor={id} className="text-xs font-medium muted">
        {label}
      </label>
      {children}
    </div>
  );
}

function Text({ id, values, placeholder }: { id: string; values: SearchValues; placeholder?: string }) {
  return (
    <input
      id={id}
      name={id}
      defaultValue={values[id] ?? ""}
      placeholder={placeholder}
      spellCheck={false}
      autoComplete="off"
    />
  );
}

function Choice({
  id,
  value,
  options,
}: {
  id: string;
  value: string;
  options: readonly { value: string; label: string }[];
}) {
  return (
    <select id={id} name={id} defaultValue={value} className="max-w-[16rem]">
      <option value="">any</option>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** The message search: a plain GET form, so every search is a URL (bookmark it, share it). */
export function SearchForm({
  values,
  zone,
  hosts = [],
}: {
  values: SearchValues;
  zone: string;
  /** The database's mail servers: a choice of them when there are several. */
  hosts?: readonly string[];
}) {
  const more = [
    "sender",
    "recipient",
    "mailbox",
    "client",
    "queue",
    "msgid",
    "text",
    "sasl",
    "dspam",
    "from",
    "to",
  ];
  const advanced = more.some((key) => values[key]);
  // A finding id or several kinds (from a link) have no option of their own: keep them selectable.
  const parsed = parseMessageFilters(values);
  const finding = values.finding ?? "";
  const custom =
    finding !== "" &&
    !FINDING_KINDS.includes(finding as FindingKind) &&
    (parsed.findingId !== undefined || parsed.findings);
  return (
    <search className="mb-6 block">
      <form action="/messages" method="get" className="panel space-y-3 p-4">
        {values.sort ? <input type="hidden" name="sort" value={values.sort} /> : null}
        {values.size ? <input type="hidden" name="size" value={values.size} /> : null}
        <div className="flex flex-wrap items-end gap-3">
          <div className="min-w-0 flex-[1_1_18rem]">
            <Field
              id="q"
              label="Message-ID (or part), queue id, address, domain, client, login, a subject word"
            >
              <input
                id="q"
                name="q"
                type="search"
                defaultValue={values.q ?? ""}
                spellCheck={false}
                autoComplete="off"
              />
            </Field>
          </div>
          <Field id="state" label="What happened">
            <Choice
              id="state"
              value={values.state ?? ""}
              options={MESSAGE_STATES.map((s) => ({ value: s, label: STATE_LABELS[s] }))}
            />
          </Field>
          <Field id="origin" label="Origin">
            <Choice
              id="origin"
              value={values.origin ?? ""}
              options={ORIGINS.map((o) => ({ value: o, label: o }))}
            />
          </Field>
          <Field id="verdict" label="Filter verdict">
            <Choice
              id="verdict"
              value={values.verdict ?? ""}
              options={VERDICT_FILTERS.map((v) => ({ value: v, label: VERDICT_LABELS[v] ?? v }))}
            />
          </Field>
          {hosts.length > 1 || values.host ? (
            <Field id="host" label="Mail server">
              <Choice
                id="host"
                value={values.host ?? ""}
                options={hosts.map((h) => ({ value: h, label: h }))}
              />
            </Field>
          ) : null}
          <Field id="finding" label="Finding">
            <Choice
              id="finding"
              value={finding}
              options={[
                ...(custom
                  ? [
                      {
                        value: finding,
                        label:
                          parsed.findingId !== undefined
                            ? `finding #${parsed.findingId}`
                            : (parsed.findings ?? []).map((k) => FINDING_DEFINITIONS[k].title).join(" or "),
                      },
                    ]
                  : []),
                ...FINDING_KINDS.map((k) => ({ value: k, label: FINDING_DEFINITIONS[k].title })),
              ]}
            />
          </Field>
          <div className="flex gap-2">
            <button type="submit" className="btn btn-primary">
              Search
            </button>
            <Link prefetch={false} href="/messages" className="btn">
              Clear
            </Link>
          </div>
        </div>
        <details open={advanced}>
          <summary className="text-sm font-medium text-sky-700 dark:text-sky-400">More filters</summary>
          <div className="mt-3 grid grid-cols-1 gap-3 sm:grid-cols-2 lg:grid-cols-3">
            <Field id="recipient" label="Recipient (as written, or the mailbox) or @domain">
              <Text id="recipient" values={values} placeholder="root@example.com" />
            </Field>
            <Field id="sender" label="Sender or @domain">
              <Text id="sender" values={values} />
            </Field>
            <Field id="mailbox" label="Delivered into the mailbox of">
              <Text id="mailbox" values={values} />
            </Field>
            <Field id="client" label="Client IP or host name">
              <Text id="client" values={values} />
            </Field>
            <Field id="queue" label="Queue id">
              <Text id="queue" values={values} />
            </Field>
            <Field id="msgid" label="Message-ID or part of it">
              <Text id="msgid" values={values} />
            </Field>
            <Field id="text" label="Words of the subject">
              <Text id="text" values={values} />
            </Field>
            <Field id="sasl" label="SASL login">
              <Text id="sasl" values={values} />
            </Field>
            <Field id="dspam" label="Statistics user (DSPAM user, Bayes user)">
              <Text id="dspam" values={values} />
            </Field>
            <div className="grid grid-cols-2 gap-3">
              <Field id="from" label={`From (${zone})`}>
                <DateInput id="from" name="from" defaultValue={values.from ?? ""} />
              </Field>
              <Field id="to" label="To (inclusive)">
                <DateInput id="to" name="to" defaultValue={values.to ?? ""} />
              </Field>
            </div>
          </div>
        </details>
      </form>
    </search>
  );
}
