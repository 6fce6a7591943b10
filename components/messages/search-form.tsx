import Link from "next/link";
import type { ReactNode } from "react";
import { FINDING_DEFINITIONS } from "@/lib/detect/kinds";
import type { FindingKind } from "@/lib/detect/types";
import { FINDING_KINDS } from "@/lib/detect/types";
import {
  MESSAGE_STATES,
  type MessageFilters,
  type MessageState,
  messageQuery,
  VERDICT_FILTERS,
} from "@/lib/queries/message-filters";
import { ORIGINS } from "@/lib/queries/stats";

type Values = Omit<MessageFilters, "since" | "until"> & { from: string; to: string };

/** How each state reads in the form. */
export const STATE_LABELS: Record<MessageState, string> = {
  filtered: "went through DSPAM",
  bypassed: "inbound, delivered without DSPAM",
  "waited-for-filter": "waited for the filter",
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

/** The message search: a plain GET form, so every search is a URL (bookmark it, share it). */
export function SearchForm({ values }: { values: Values }) {
  const advanced = Boolean(
    values.sender ||
      values.recipient ||
      values.mailbox ||
      values.sasl ||
      values.dspamUser ||
      values.from ||
      values.to,
  );
  // A finding id or several kinds (from a link) have no option of their own: keep them selectable.
  const finding = messageQuery(values).finding ?? "";
  const custom = finding !== "" && !FINDING_KINDS.includes(finding as FindingKind);
  return (
    <search className="mb-6 block">
      <form action="/messages" method="get" className="panel space-y-3 p-4">
        <div className="flex flex-wrap items-end gap-3">
          <div className="min-w-0 flex-[1_1_18rem]">
            <Field id="q" label="Message-ID, queue id, address, login or DSPAM user (exact)">
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
          <Field id="origin" label="Origin">
            <select id="origin" name="origin" defaultValue={values.origin ?? ""}>
              <option value="">any</option>
              {ORIGINS.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
          </Field>
          <Field id="verdict" label="DSPAM verdict">
            <select id="verdict" name="verdict" defaultValue={values.verdict ?? ""}>
              <option value="">any</option>
              {VERDICT_FILTERS.map((v) => (
                <option key={v} value={v}>
                  {VERDICT_LABELS[v] ?? v}
                </option>
              ))}
            </select>
          </Field>
          <Field id="finding" label="Finding">
            <select id="finding" name="finding" defaultValue={finding} className="max-w-[16rem]">
              <option value="">any</option>
              {custom ? (
                <option value={finding}>
                  {values.findingId !== undefined
                    ? `finding #${values.findingId}`
                    : (values.findings ?? []).map((k) => FINDING_DEFINITIONS[k].title).join(" or ")}
                </option>
              ) : null}
              {FINDING_KINDS.map((k: FindingKind) => (
                <option key={k} value={k}>
                  {FINDING_DEFINITIONS[k].title}
                </option>
              ))}
            </select>
          </Field>
          <Field id="state" label="State">
            <select id="state" name="state" defaultValue={values.state ?? ""}>
              <option value="">any</option>
              {MESSAGE_STATES.map((state) => (
                <option key={state} value={state}>
                  {STATE_LABELS[state]}
                </option>
              ))}
            </select>
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
            <Field id="sender" label="Sender">
              <input id="sender" name="sender" defaultValue={values.sender ?? ""} spellCheck={false} />
            </Field>
            <Field id="recipient" label="Recipient">
              <input
                id="recipient"
                name="recipient"
                defaultValue={values.recipient ?? ""}
                spellCheck={false}
              />
            </Field>
            <Field id="mailbox" label="Delivered into the mailbox of">
              <input id="mailbox" name="mailbox" defaultValue={values.mailbox ?? ""} spellCheck={false} />
            </Field>
            <Field id="sasl" label="SASL login">
              <input id="sasl" name="sasl" defaultValue={values.sasl ?? ""} spellCheck={false} />
            </Field>
            <Field id="dspam" label="DSPAM user">
              <input id="dspam" name="dspam" defaultValue={values.dspamUser ?? ""} spellCheck={false} />
            </Field>
            <Field id="from" label="From (server time)">
              <input id="from" name="from" type="datetime-local" defaultValue={values.from} />
            </Field>
            <Field id="to" label="To">
              <input id="to" name="to" type="datetime-local" defaultValue={values.to} />
            </Field>
          </div>
        </details>
      </form>
    </search>
  );
}
