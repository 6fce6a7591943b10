// The report as plain text: the multipart mail's text part, and `spamtrail report --text`.
import { kindTitle } from "../detect/kinds.ts";
import { filtersLabel, filtersUserWord, userOfRow } from "../filters/registry.ts";
import { configText } from "./config-section.ts";
import { change, logValue, num, percent, plural, shortList } from "./display.ts";
import {
  currentLabel,
  ORIGIN_LABELS,
  openNote,
  previousLabel,
  reportTitle,
  serversLine,
  TABLE_ROWS,
  UNFILTERED_LABELS,
} from "./labels.ts";
import type { DashboardLinks } from "./links.ts";
import type { RenderContext, ReportData } from "./model.ts";
import { localDateTime, periodName, zoneNote } from "./period.ts";
import { findingsBlocks } from "./text-findings.ts";
import { heading, textBar, textTable, WIDTH, wrap } from "./text-parts.ts";

type Ctx = RenderContext;

/** Renders the report's plain-text part. */
export function renderText(data: ReportData, links: DashboardLinks | null): string {
  const ctx: Ctx = { data, links };
  const blocks = [
    header(ctx),
    verdict(ctx),
    keyNumbers(ctx),
    ...findingsBlocks(ctx),
    duplicates(ctx),
    training(ctx),
    unfiltered(ctx),
    configText(ctx),
    volumes(ctx),
    footer(ctx),
  ];
  return `${blocks.filter((b) => b !== "").join("\n\n")}\n`;
}

function header({ data }: Ctx): string {
  const hosts = data.hosts.length > 0 ? `, ${shortList(data.hosts, 3)}` : "";
  return `Spamtrail weekly antispam report\n${reportTitle(data)} (${periodName(data.period)}${hosts})`;
}

function verdict({ data }: Ctx): string {
  const lines = [
    wrap(
      // "NEEDS ATTENTION:", "HEALTHY:" stand out; a headline without that word stays as it is.
      data.verdict.headline.replace(/^(Needs attention|Healthy):/, (m) => m.toUpperCase()),
      "  ",
      "",
    ),
  ];
  for (const reason of data.verdict.reasons) lines.push(wrap(logValue(reason, 240), "    ", "  - "));
  return lines.join("\n");
}

function keyNumbers({ data }: Ctx): string {
  const o = data.overview;
  const p = data.previousOverview;
  const t = data.findings.openTotal;
  const vs = `vs ${previousLabel(data)}`;
  return [
    `Messages         ${num(o.messages)} (${change(o.messages, p.messages)} ${vs})`,
    `Judged spam      ${num(o.byVerdict.spam)} (${change(o.byVerdict.spam, p.byVerdict.spam)} ${vs})`,
    `Retrainings      ${num(o.trainings.applied)} of ${num(o.trainings.attempts)} applied`,
    `Open findings    ${num(t.high + t.medium + t.low)}: ${t.high} high, ${t.medium} medium, ${t.low} low (${openNote(data)})`,
    ...(serversLine(data) ? [wrap(serversLine(data), "                 ", "Servers          ")] : []),
  ].join("\n");
}

function duplicates({ data }: Ctx): string {
  if (data.duplicates.length === 0) return "";
  const more = data.duplicates.length - TABLE_ROWS;
  const rows = data.duplicates
    .slice(0, TABLE_ROWS)
    .map((d) =>
      [
        wrap(
          `${logValue(d.recipient)}: ${plural(d.messages, "message")}, ${plural(d.extraCopies, "extra copy", "extra copies")}`,
          "    ",
          "  * ",
        ),
        wrap(`reached via ${shortList(d.via, 4)}`, "    ", "    "),
      ].join("\n"),
    );
  return [
    heading(kindTitle("duplicate-delivery")),
    wrap(
      `The same message delivered more than once to the same address: aliases expanded before and after ${filtersLabel(data.overview.filters)}.`,
    ),
    rows.join("\n"),
    more > 0 ? `and ${plural(more, "more recipient")}` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}

function training({ data }: Ctx): string {
  const t = data.training;
  const idle =
    t.idleMailboxes > 0
      ? `${plural(t.idleMailboxes, "other mailbox", "other mailboxes")} retrained nothing.`
      : "";
  if (t.rows.length === 0)
    return [
      heading("Training health"),
      `Nobody retrained ${filtersLabel(data.overview.filters)} ${currentLabel(data)}. ${idle}`.trim(),
    ].join("\n\n");
  const more = t.rows.length - TABLE_ROWS;
  const rows = t.rows
    .slice(0, TABLE_ROWS)
    .map((u) => [
      logValue(userOfRow(u, data.overview.filters), 40),
      num(u.retrains),
      num(u.retrainsApplied),
      num(u.retrainsFailed),
      num(u.retrainsMisdirected),
      percent(u.successRate),
    ]);
  return [
    heading("Training health"),
    wrap(
      `Moves into or out of the spam folder, per person whose ${filtersLabel(data.overview.filters)} dictionary judged the mail. Wrong user: the retraining went to another ${filtersUserWord(data.overview.filters)} and changed nothing.`,
    ),
    textTable(["user", "attempts", "applied", "failed", "wrong user", "success"], rows, [1, 2, 3, 4, 5]),
    more > 0 ? `and ${plural(more, "more user")}` : "",
    idle,
  ]
    .filter(Boolean)
    .join("\n\n");
}

function unfiltered({ data }: Ctx): string {
  const rows = data.unfiltered.map((r) => [
    UNFILTERED_LABELS[r.what],
    r.messages === null ? "–" : num(r.messages),
    num(r.judged),
    num(r.taggedSpam),
  ]);
  const who = data.unfiltered
    .filter((r) => r.who.length > 0)
    .map((r) => wrap(`${UNFILTERED_LABELS[r.what]}: ${shortList(r.who, 6)}`, "    ", "  "));
  return [
    heading("Verdicts on authenticated and outgoing mail"),
    wrap("None of this mail should pass the spam filter: nobody retrains those verdicts."),
    textTable(
      ["mail", "messages", `judged by ${filtersLabel(data.overview.filters)}`, "tagged spam"],
      rows,
      [1, 2, 3],
    ),
    who.length > 0 ? `Senders:\n${who.join("\n")}` : "",
  ]
    .filter(Boolean)
    .join("\n\n");
}

function volumes({ data }: Ctx): string {
  const rows = data.volumes.map((v) => [
    ORIGIN_LABELS[v.origin],
    num(v.current.spam),
    num(v.current.innocent),
    num(v.current.none),
    num(v.current.total),
    num(v.previousTotal),
    change(v.current.total, v.previousTotal),
  ]);
  const o = data.overview;
  const facts = `${plural(o.filtered, "message")} went through ${filtersLabel(o.filters)}, ${num(o.bypassed)} inbound bypassed it, ${num(o.deferredToFilter)} had to wait for it, ${plural(o.deliveredCopies, "copy", "copies")} delivered${o.inFlight > 0 ? `, ${num(o.inFlight)} still queued` : ""}.`;
  const parts = [
    heading("Volumes"),
    textTable(
      [
        "origin",
        "spam",
        "innocent",
        "no verdict",
        "total",
        data.period.kind === "week" ? "last week" : "before",
        "change",
      ],
      rows,
      [1, 2, 3, 4, 5],
    ),
    wrap(facts),
  ];
  if (data.daily.length > 0) {
    const max = Math.max(...data.daily.map((d) => d.spam + d.innocent + d.none), 1);
    const day = (d: string) =>
      new Date(`${d}T12:00:00`).toLocaleDateString("en-GB", { weekday: "short", day: "2-digit" });
    parts.push(
      [
        "Messages per day (# spam, = innocent, . no verdict):",
        ...data.daily.map((d) =>
          `  ${day(d.day).padEnd(7)} ${num(d.spam + d.innocent + d.none).padStart(6)}  ${textBar(d.spam, d.innocent, d.none, max)}`.trimEnd(),
        ),
      ].join("\n"),
    );
  }
  return parts.join("\n\n");
}

function footer({ data, links }: Ctx): string {
  return [
    "-- ",
    wrap(
      `Generated by Spamtrail on ${localDateTime(data.generatedAt)} for ${periodName(data.period)} (${localDateTime(data.period.since)} up to ${localDateTime(data.period.until)}, ${zoneNote(data.period.since)}).`,
      "",
      "",
      WIDTH,
    ),
    links ? `Dashboard: ${links.home}` : "Set SPAMTRAIL_BASE_URL to link this report to the dashboard.",
  ].join("\n");
}
