// The findings sections of the HTML report: new this week, still open.

import { formatStamp } from "../core/display-zone.ts";
import { kindTitle } from "../detect/kinds.ts";
import { logText, logValue, num, plural } from "./display.ts";
import { html, type Markup } from "./html.ts";
import {
  FONT,
  INK,
  LINE,
  link,
  MUTED,
  mono,
  monoLink,
  prose,
  SIDE,
  section,
  severityPill,
  WRAP,
} from "./html-parts.ts";
import { currentLabel, findingsShown } from "./labels.ts";
import type { FindingGroup, RenderContext, ReportExample, ReportFinding } from "./model.ts";
import { localDate } from "./period.ts";

type Ctx = RenderContext;

/** "New this week" and "Still open": findings grouped by kind, with an example and the fix. */
export function findingsSection(ctx: Ctx): Markup {
  const f = ctx.data.findings;
  const notes = [
    f.quiet > 0
      ? `${plural(f.quiet, "older finding")} still open but not seen ${currentLabel(ctx.data)}: if fixed, acknowledge ${f.quiet === 1 ? "it" : "them"} in the dashboard.`
      : "",
    f.silenced > 0
      ? `${plural(f.silenced, "acknowledged or muted finding")} also had evidence (not listed).`
      : "",
  ].filter(Boolean);
  const noteMarkup = notes.map(
    (n) => html`<p style="margin:8px 0 0 0;font-size:12px;line-height:17px;color:${MUTED};">${n}</p>`,
  );
  if (f.newCount + f.ongoingCount === 0) {
    return section(
      "Findings",
      html`<p style="margin:0;font-size:14px;color:${INK};">No open findings ${currentLabel(ctx.data)}.</p>${noteMarkup}`,
    );
  }
  return html`${
    f.newCount > 0
      ? section(
          `New ${currentLabel(ctx.data)} (${num(f.newCount)})`,
          html`${f.newGroups.map((g) => findingGroup(ctx, g))}`,
        )
      : ""
  }${
    f.ongoingCount > 0
      ? section(
          `Still open (${num(f.ongoingCount)})`,
          html`${f.ongoingGroups.map((g) => findingGroup(ctx, g))}`,
          `Seen before and again ${currentLabel(ctx.data)}.`,
        )
      : ""
  }${notes.length > 0 ? html`<tr><td style="padding:0 ${SIDE};font-family:${FONT};">${noteMarkup}</td></tr>` : ""}`;
}

function findingGroup(ctx: Ctx, group: FindingGroup): Markup {
  const shown = group.findings.slice(0, findingsShown(group));
  const hidden = group.findings.length - shown.length;
  return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="margin:0 0 14px 0;border-top:1px solid ${LINE};">
<tr><td style="padding:10px 0 2px 0;font-family:${FONT};">
${severityPill(group.severity)} <span style="font-size:15px;font-weight:bold;color:${INK};">${kindTitle(group.kind)}</span>${group.findings.length > 1 ? html` <span style="font-size:13px;color:${MUTED};">(${group.findings.length})</span>` : ""}
</td></tr>
${shown.map((f) => findingRow(ctx, f, group.fix === null))}
${hidden > 0 ? html`<tr><td style="padding:2px 0 0 14px;font-family:${FONT};font-size:13px;color:${MUTED};">and ${plural(hidden, "more finding")} of this kind ${ctx.links ? link(ctx.links.findings, "in the dashboard") : "(spamtrail findings)"}</td></tr>` : ""}
${group.fix !== null ? html`<tr><td style="padding:6px 0 0 14px;font:13px/19px ${FONT};color:${INK};${WRAP}"><b>Fix:</b> ${prose(logText(group.fix, 1000))}</td></tr>` : ""}
</table>`;
}

function findingRow(ctx: Ctx, f: ReportFinding, ownFix: boolean): Markup {
  const since = f.isNew ? "" : ` Open since ${localDate(f.firstSeen)}.`;
  return html`<tr><td style="padding:6px 0 0 14px;font:13px/19px ${FONT};color:${INK};${WRAP}">
&#8226; <b>${f.about}:</b> ${prose(logText(f.summary))}${since} ${ctx.links ? link(ctx.links.finding(f.id), "Details", "white-space:nowrap;") : ""}
${f.isNew ? f.examples.map((e) => exampleLine(ctx, e)) : ""}
${ownFix ? html`<div style="padding:3px 0 0 12px;color:${INK};"><b>Fix:</b> ${prose(logText(f.fix, 1000))}</div>` : ""}
</td></tr>`;
}

function exampleLine({ links }: Ctx, e: ReportExample): Markup {
  const subject = e.subject ? html` “${logValue(e.subject, 90)}”` : "";
  const sender = e.sender ? html` from ${mono(logValue(e.sender, 80))}` : "";
  return html`<div style="padding:3px 0 0 12px;font-size:12px;color:${MUTED};">e.g. ${monoLink(links?.message(e.messageId), logValue(e.messageId))}${subject}${sender}, ${formatStamp(e.ts, { seconds: false })}</div>`;
}
