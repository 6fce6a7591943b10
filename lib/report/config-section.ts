// The report's "Configuration audit" section: the latest stored audit's results and the changes made
// during the period (text and HTML share this data).
import type { AuditResult } from "../audit/types.ts";
import { formatStamp } from "../core/display-zone.ts";
import { html, type Markup } from "./html.ts";
import { FONT, INK, MUTED, mono, prose, section, severityPill } from "./html-parts.ts";
import type { RenderContext } from "./model.ts";
import { heading, wrap } from "./text-parts.ts";

/** What the report shows of the configuration: null when no audit was ever stored. */
export type ReportConfig = {
  auditedAt: Date;
  results: AuditResult[];
  /** Changes in the period: when, and what changed. */
  changes: { at: Date; changes: string[]; resolved: string[] }[];
} | null;

const where = (r: AuditResult) => (r.file ? `${r.file}${r.line ? `:${r.line}` : ""}` : "");
const INTRO = "The configuration line behind each problem and the change that fixes it (spamtrail audit).";

export function configText({ data }: RenderContext): string {
  const config = data.config;
  if (!config) return "";
  const lines = [heading("Configuration audit"), wrap(INTRO)];
  if (config.results.length === 0) lines.push("No problems in the configuration last audited.");
  for (const r of config.results) {
    lines.push(
      [
        `[${r.severity.toUpperCase()}] ${r.check}${r.file ? `  ${where(r)}` : ""}`,
        r.setting ? `  ${r.setting} = ${r.value ?? ""}` : "",
        wrap(r.problem, "  "),
        "  Fix:",
        ...r.fix.split("\n").map((l) => `    ${l}`),
        r.evidenceNote ? wrap(r.evidenceNote, "  ") : "",
      ]
        .filter((l) => l !== "")
        .join("\n"),
    );
  }
  for (const c of config.changes)
    lines.push(
      wrap(
        `Changed on ${formatStamp(c.at, { seconds: false })}: ${c.changes.slice(0, 5).join("; ")}${c.resolved.length ? `. Since then passing: ${c.resolved.join(", ")}` : ""}.`,
      ),
    );
  return lines.join("\n\n");
}

export function configHtml({ data }: RenderContext): Markup {
  const config = data.config;
  if (!config) return html``;
  const items = config.results.map(
    (
      r,
    ) => html`<tr><td style="padding:8px 0;font-family:${FONT};font-size:14px;color:${INK};border-top:1px solid #e4e7ec;">
${severityPill(r.severity)} <strong>${r.check}</strong> ${r.file ? mono(where(r)) : ""}<br>
${r.setting ? html`${mono(`${r.setting} = ${r.value ?? ""}`)}<br>` : ""}
${prose(r.problem)}<br>
<span style="color:${MUTED};">Fix:</span><br>${r.fix.split("\n").map((l) => html`${mono(l)}<br>`)}
${r.evidenceNote ? html`<span style="color:${MUTED};">${r.evidenceNote}</span>` : ""}
</td></tr>`,
  );
  const changes = config.changes.map(
    (c) =>
      html`<tr><td style="padding:6px 0;font-family:${FONT};font-size:13px;color:${MUTED};">Changed on ${formatStamp(c.at, { seconds: false })}: ${c.changes.slice(0, 5).join("; ")}${c.resolved.length ? `. Since then passing: ${c.resolved.join(", ")}` : ""}.</td></tr>`,
  );
  const body =
    config.results.length === 0 && changes.length === 0
      ? html`<p style="font-family:${FONT};font-size:14px;color:${INK};">No problems in the configuration last audited.</p>`
      : html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">${items}${changes}</table>`;
  return section("Configuration audit", body, INTRO);
}
