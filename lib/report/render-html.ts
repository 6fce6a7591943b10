// The report as an HTML page for mail clients (see html-parts.ts for the constraints).

import { configHtml } from "./config-section.ts";
import { change, logValue, num, percent, shortList } from "./display.ts";
import { html, type Markup } from "./html.ts";
import { findingsSection } from "./html-findings.ts";
import { FONT, INK, LINE, link, MUTED, SIDE, STATUS_STYLE } from "./html-parts.ts";
import { duplicatesSection, trainingSection, unfilteredSection, volumesSection } from "./html-tables.ts";
import { openNote, previousLabel, reportTitle, serversLine } from "./labels.ts";
import type { DashboardLinks } from "./links.ts";
import type { RenderContext, ReportData } from "./model.ts";
import { localDateTime, periodName, zoneNote } from "./period.ts";

type Ctx = RenderContext;

/** Renders the report's HTML part. */
export function renderHtml(data: ReportData, links: DashboardLinks | null): string {
  const ctx: Ctx = { data, links };
  const title = reportTitle(data);
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<meta name="supported-color-schemes" content="light">
<title>${title}</title>
</head>
<body style="margin:0;padding:0;background:#f2f4f7;">
<div style="display:none;max-height:0;overflow:hidden;mso-hide:all;">${data.verdict.headline}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="#f2f4f7" style="background:#f2f4f7;">
<tr><td align="center" style="padding:20px 0;">
<table role="presentation" width="640" cellpadding="0" cellspacing="0" border="0" bgcolor="#ffffff" style="width:100%;max-width:640px;background:#ffffff;border:1px solid ${LINE};">
${header(ctx)}
${verdict(ctx)}
${keyNumbers(ctx)}
${findingsSection(ctx)}
${duplicatesSection(ctx)}
${trainingSection(ctx)}
${unfilteredSection(ctx)}
${configHtml(ctx)}
${volumesSection(ctx)}
${footer(ctx)}
</table>
</td></tr>
</table>
</body>
</html>
`.text;
}

function header({ data, links }: Ctx): Markup {
  const hosts = data.hosts.length > 0 ? ` · ${shortList(data.hosts, 3)}` : "";
  return html`<tr><td style="padding:20px ${SIDE} 8px ${SIDE};font-family:${FONT};">
<div style="font-size:12px;line-height:16px;color:${MUTED};text-transform:uppercase;letter-spacing:1px;">${link(links?.home, "Spamtrail", `color:${MUTED};text-decoration:none;`)} · weekly antispam report</div>
<h1 style="margin:4px 0 0 0;font-size:22px;line-height:28px;color:${INK};">${reportTitle(data)}</h1>
<div style="font-size:13px;line-height:18px;color:${MUTED};">${periodName(data.period)}${hosts}</div>
</td></tr>`;
}

function verdict({ data }: Ctx): Markup {
  const s = STATUS_STYLE[data.verdict.status];
  const reasons = data.verdict.reasons;
  return html`<tr><td style="padding:12px ${SIDE} 4px ${SIDE};">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" bgcolor="${s.bg}" style="background:${s.bg};border-left:4px solid ${s.border};">
<tr><td style="padding:12px 14px;font-family:${FONT};">
<div style="font-size:16px;line-height:22px;font-weight:bold;color:${s.fg};">${data.verdict.headline}</div>
${reasons.length > 0 ? html`<ul style="margin:6px 0 0 0;padding:0 0 0 18px;font-size:13px;line-height:19px;color:${INK};">${reasons.map((r) => html`<li>${logValue(r, 240)}</li>`)}</ul>` : ""}
</td></tr></table>
</td></tr>`;
}

function keyNumbers({ data }: Ctx): Markup {
  const o = data.overview;
  const p = data.previousOverview;
  const t = data.findings.openTotal;
  const tiles: [string, string, string][] = [
    [num(o.messages), "messages", `${change(o.messages, p.messages)} vs ${previousLabel(data)}`],
    [
      num(o.byVerdict.spam),
      "judged spam",
      `${change(o.byVerdict.spam, p.byVerdict.spam)} vs ${previousLabel(data)}`,
    ],
    [
      `${num(o.trainings.applied)}/${num(o.trainings.attempts)}`,
      "retrainings applied",
      o.trainings.attempts > 0
        ? `${percent(o.trainings.applied / o.trainings.attempts)} took effect`
        : "none",
    ],
    [num(t.high + t.medium + t.low), "open findings", openNote(data)],
  ];
  const tile = ([value, label, note]: [string, string, string]) =>
    html`<td width="50%" valign="top" style="width:50%;padding:6px;font-family:${FONT};">
<div style="font-size:22px;line-height:28px;font-weight:bold;color:${INK};">${value}</div>
<div style="font-size:12px;line-height:16px;color:${INK};">${label}</div>
<div style="font-size:11px;line-height:15px;color:${MUTED};">${note}</div>
</td>`;
  // two rows of two: four side by side do not fit a phone
  return html`<tr><td style="padding:14px 10px 0 10px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
<tr>${tiles.slice(0, 2).map(tile)}</tr>
<tr>${tiles.slice(2).map(tile)}</tr>
</table>
${serversLine(data) ? html`<div style="padding:6px;font-family:${FONT};font-size:12px;line-height:17px;color:${MUTED};">Servers: ${serversLine(data)}</div>` : ""}
</td></tr>`;
}

function footer({ data, links }: Ctx): Markup {
  return html`<tr><td style="padding:22px ${SIDE} 20px ${SIDE};font-family:${FONT};font-size:12px;line-height:17px;color:${MUTED};border-top:1px solid ${LINE};">
Generated by Spamtrail on ${localDateTime(data.generatedAt)} for ${periodName(data.period)} (${localDateTime(data.period.since)} up to ${localDateTime(data.period.until)}, ${zoneNote(data.period.since)}).
${links ? html`${link(links.home, "Open the dashboard")} for every message, finding and user.` : "Set SPAMTRAIL_BASE_URL to link this report to the dashboard."}
</td></tr>`;
}
