// The tables of the HTML report: duplicates, training, unfiltered mail, volumes.
import { kindTitle } from "../detect/kinds.ts";
import { filtersLabel, filtersUserWord, userOfRow } from "../filters/registry.ts";
import { messageQuery } from "../queries/message-filters.ts";
import { toExactInput } from "../queries/time-range.ts";
import { change, logValue, num, percent, plural, shortList } from "./display.ts";
import { html, type Markup } from "./html.ts";
import {
  COLORS,
  dataTable,
  FONT,
  INK,
  link,
  MUTED,
  mono,
  monoLink,
  section,
  stackedBar,
  swatch,
} from "./html-parts.ts";
import { currentLabel, ORIGIN_LABELS, previousLabel, TABLE_ROWS, UNFILTERED_LABELS } from "./labels.ts";
import type { RenderContext, ReportData } from "./model.ts";

type Ctx = RenderContext;

/** "and 4 more users (in the dashboard)" under a table cut to TABLE_ROWS rows. */
function moreNote(more: number, what: string, href: string | undefined): Markup {
  if (more <= 0) return html``;
  return html`<p style="margin:6px 0 0 0;font-family:${FONT};font-size:12px;color:${MUTED};">and ${plural(more, `more ${what}`)}${href ? html` ${link(href, "in the dashboard")}` : ""}</p>`;
}

/** Duplicate deliveries per recipient. */
export function duplicatesSection({ data, links }: Ctx): Markup {
  if (data.duplicates.length === 0) return html``;
  const more = data.duplicates.length - TABLE_ROWS;
  const rows = data.duplicates
    .slice(0, TABLE_ROWS)
    .map((d) => [
      monoLink(links?.finding(d.findingId), logValue(d.recipient)),
      num(d.messages),
      num(d.extraCopies),
      html`${mono(shortList(d.via, 3))}`,
    ]);
  return section(
    kindTitle("duplicate-delivery"),
    html`${dataTable(
      [
        { label: "Recipient" },
        { label: "Messages", align: "right" },
        { label: "Extra copies", align: "right" },
        { label: "Reached via" },
      ],
      rows,
    )}${moreNote(more, "recipient", links?.findings)}`,
    `The same message delivered more than once to the same address: aliases expanded before and after ${filtersLabel(data.overview.filters)}.`,
  );
}

/** Retraining per user: attempts, applied, failed, misdirected, success rate. */
export function trainingSection({ data, links }: Ctx): Markup {
  const t = data.training;
  const idle =
    t.idleMailboxes > 0
      ? ` ${plural(t.idleMailboxes, "other mailbox", "other mailboxes")} retrained nothing.`
      : "";
  if (t.rows.length === 0) {
    return section(
      "Training health",
      html`<p style="margin:0;font-size:13px;color:${INK};">Nobody retrained ${filtersLabel(data.overview.filters)} ${currentLabel(data)}.${idle}</p>`,
    );
  }
  const bad = (n: number) => (n > 0 ? html`<b style="color:#b42318;">${num(n)}</b>` : num(n));
  const more = t.rows.length - TABLE_ROWS;
  const rows = t.rows
    .slice(0, TABLE_ROWS)
    .map((u) => [
      monoLink(links?.user(u.user), logValue(userOfRow(u, data.overview.filters), 60)),
      num(u.retrains),
      num(u.retrainsApplied),
      bad(u.retrainsFailed),
      bad(u.retrainsMisdirected),
      u.successRate !== null && u.successRate < 1
        ? html`<b style="color:#b42318;">${percent(u.successRate)}</b>`
        : percent(u.successRate),
    ]);
  return section(
    "Training health",
    html`${dataTable(
      [
        { label: "User" },
        { label: "Attempts", align: "right" },
        { label: "Applied", align: "right" },
        { label: "Failed", align: "right" },
        { label: "Wrong user", align: "right" },
        { label: "Success", align: "right" },
      ],
      rows,
    )}${moreNote(more, "user", links?.home)}${idle ? html`<p style="margin:6px 0 0 0;font-size:12px;color:${MUTED};">${idle.trim()}</p>` : ""}`,
    `Moves into or out of the spam folder, per person whose ${filtersLabel(data.overview.filters)} dictionary judged the mail. Wrong user: the retraining went to another ${filtersUserWord(data.overview.filters)} and changed nothing.`,
  );
}

/** Verdicts on mail that should not pass the filter: logged-in users, the server itself, outgoing. */
export function unfilteredSection({ data, links }: Ctx): Markup {
  // Each figure links to the dashboard's list of exactly those messages.
  const range = { from: toExactInput(data.period.since), to: toExactInput(data.period.until) };
  const figure = (n: number, query: Record<string, string>) => {
    const shown = n > 0 ? html`<b style="color:#b42318;">${num(n)}</b>` : "0";
    return n > 0 && links ? link(links.messages({ ...query, ...range }), shown) : shown;
  };
  const rows = data.unfiltered.map((r) => [
    UNFILTERED_LABELS[r.what],
    r.messages === null ? "–" : num(r.messages),
    figure(r.judged, messageQuery(r.judgedFilter)),
    figure(r.taggedSpam, messageQuery({ ...r.judgedFilter, verdict: "spam" })),
    r.who.length > 0
      ? html`${mono(shortList(r.who, 3))}${links && r.findingIds[0] !== undefined ? html` ${link(links.finding(r.findingIds[0]), "Details")}` : ""}`
      : "",
  ]);
  return section(
    "Verdicts on authenticated and outgoing mail",
    dataTable(
      [
        { label: "Mail" },
        { label: "Messages", align: "right" },
        { label: `Judged by ${filtersLabel(data.overview.filters)}`, align: "right" },
        { label: "Tagged spam", align: "right" },
        { label: "Senders" },
      ],
      rows,
    ),
    "None of this mail should pass the spam filter: nobody retrains those verdicts.",
  );
}

/** Messages by origin and verdict against the period before, and a bar per day. */
export function volumesSection({ data }: Ctx): Markup {
  const rows = data.volumes.map((v) => {
    const cells = [
      ORIGIN_LABELS[v.origin],
      num(v.current.spam),
      num(v.current.innocent),
      num(v.current.none),
      num(v.current.total),
    ];
    // The period before shares the change's cell: a seventh column does not fit a phone.
    const versus = html`${change(v.current.total, v.previousTotal)}<br><span style="font-size:11px;color:${MUTED};">was ${num(v.previousTotal)}</span>`;
    return v.origin === "total" ? [...cells, versus].map((c) => html`<b>${c}</b>`) : [...cells, versus];
  });
  const o = data.overview;
  const facts = [
    `${plural(o.filtered, "message")} went through ${filtersLabel(o.filters)}`,
    `${num(o.bypassed)} inbound bypassed it`,
    `${num(o.deferredToFilter)} had to wait for it`,
    `${plural(o.deliveredCopies, "copy", "copies")} delivered`,
    o.inFlight > 0 ? `${num(o.inFlight)} still queued` : "",
  ].filter(Boolean);
  return section(
    "Volumes",
    html`${dataTable(
      [
        { label: "Origin" },
        { label: "Spam", align: "right" },
        { label: "Innocent", align: "right" },
        { label: "No verdict", align: "right" },
        { label: "Total", align: "right" },
        { label: `vs ${previousLabel(data)}`, align: "right", wrap: true },
      ],
      rows,
    )}<p style="margin:6px 0 0 0;font-size:12px;line-height:17px;color:${MUTED};">${facts.join(" · ")}.</p>${dailyChart(data)}`,
  );
}

function dailyChart(data: ReportData): Markup {
  if (data.daily.length === 0) return html``;
  const max = Math.max(...data.daily.map((d) => d.spam + d.innocent + d.none), 1);
  const weekday = (day: string) =>
    new Date(`${day}T12:00:00`).toLocaleDateString("en-GB", { weekday: "short", day: "numeric" });
  const rows = data.daily.map(
    (d) => html`<tr>
<td style="padding:2px 8px 2px 0;font-family:${FONT};font-size:12px;color:${MUTED};white-space:nowrap;" width="60">${weekday(d.day)}</td>
<td width="204" style="width:204px;padding:2px 0;">${stackedBar(
      [
        [d.spam, COLORS.spam],
        [d.innocent, COLORS.innocent],
        [d.none, COLORS.none],
      ],
      max,
      200,
    )}</td>
<td style="padding:2px 0 2px 8px;font-family:${FONT};font-size:12px;color:${INK};text-align:right;" align="right" width="50">${num(d.spam + d.innocent + d.none)}</td>
</tr>`,
  );
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="margin:12px 0 0 0;">${rows}</table>
<p style="margin:6px 0 0 0;font-family:${FONT};font-size:11px;color:${MUTED};">${swatch(COLORS.spam)} spam &nbsp; ${swatch(COLORS.innocent)} innocent &nbsp; ${swatch(COLORS.none)} no verdict · messages per day</p>`;
}
