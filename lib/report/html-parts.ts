// Building blocks of the HTML report for mail clients: table layout, inline styles, no classes,
// no scripts, no images. Bars are table cells with a background colour, which every client draws.
import type { Severity } from "../detect/types.ts";
import { html, type Markup, safeHref } from "./html.ts";

// Short font stacks without quotes: they are repeated on every cell (Outlook does not inherit them),
// and Gmail clips a message whose HTML passes 102 kB.
export const FONT = "Arial,sans-serif";
export const MONO = "Menlo,Consolas,monospace";
export const INK = "#101828";
export const MUTED = "#475467";
export const LINE = "#e4e7ec";

/** Side padding of the mail's rows: narrow enough that a 360px phone shows every table without scrolling sideways. */
export const SIDE = "16px";

/** Lets a log value wrap anywhere, so that an overlong one cannot widen the mail. */
export const WRAP = "word-break:break-word;";

export const COLORS = {
  spam: "#d92d20",
  innocent: "#12b76a",
  none: "#98a2b3",
  link: "#175cd3",
};

const SEVERITY_STYLE: Record<Severity, { fg: string; bg: string }> = {
  high: { fg: "#b42318", bg: "#fee4e2" },
  medium: { fg: "#b54708", bg: "#fef0c7" },
  low: { fg: "#344054", bg: "#f2f4f7" },
};

export const STATUS_STYLE = {
  healthy: { fg: "#067647", bg: "#ecfdf3", border: "#17b26a" },
  attention: { fg: "#b42318", bg: "#fef3f2", border: "#f04438" },
  "no-data": { fg: "#b54708", bg: "#fffaeb", border: "#f79009" },
} as const;

/** A link when `href` is a http(s) URL, else the plain content. */
export function link(href: string | null | undefined, content: Markup | string, style = ""): Markup {
  const safe = href ? safeHref(href) : null;
  if (!safe) return html`${content}`;
  return html`<a href="${safe}" style="color:${COLORS.link};${style}">${content}</a>`;
}

/** A small coloured label: HIGH, MEDIUM, LOW. */
export function severityPill(severity: Severity): Markup {
  const s = SEVERITY_STYLE[severity];
  return html`<span style="display:inline-block;padding:1px 6px;border-radius:3px;background:${s.bg};color:${s.fg};font-size:11px;font-weight:bold;letter-spacing:0.5px;text-transform:uppercase;">${severity}</span>`;
}

/** A value from the logs in monospace that wraps anywhere (Message-IDs, addresses). */
export function mono(text: string): Markup {
  return html`<span style="font:12px ${MONO};${WRAP}">${text}</span>`;
}

/** A linked log value in monospace: the style sits on the link itself (one element less per value). */
export function monoLink(href: string | null | undefined, text: string): Markup {
  return href && safeHref(href) ? link(href, text, `font:12px ${MONO};${WRAP}`) : mono(text);
}

/** Text with `backtick` spans shown as code; everything escaped. */
export function prose(text: string): Markup {
  const parts = text.split("`");
  return html`${parts.map((part, i) =>
    i % 2 === 1 && i < parts.length - 1
      ? html`<code style="font:12px ${MONO};background:#f2f4f7;${WRAP}">${part}</code>`
      : part,
  )}`;
}

/** One section of the report: a heading row and its content. */
export function section(title: string, body: Markup, intro?: string): Markup {
  return html`<tr><td style="padding:22px ${SIDE} 4px ${SIDE};font-family:${FONT};color:${INK};">
<h2 style="margin:0 0 8px 0;font-size:17px;line-height:22px;font-weight:bold;color:${INK};">${title}</h2>
${intro ? html`<p style="margin:0 0 10px 0;font-size:13px;line-height:19px;color:${MUTED};">${intro}</p>` : ""}
${body}
</td></tr>`;
}

/** A column; right-aligned cells keep their figure on one line unless `wrap` (a change such as "+12 (+25%)"). */
export type Column = { label: string; align?: "left" | "right"; wrap?: boolean };

/** A data table with a header row; cells are markup or text. */
export function dataTable(columns: readonly Column[], rows: readonly (Markup | string | number)[][]): Markup {
  const cell = (content: Markup | string | number, col: Column | undefined, header = false) => {
    const align = col?.align ?? "left";
    const nowrap = align === "right" && !header && !col?.wrap;
    const style = `padding:5px 3px;border-bottom:1px solid ${LINE};font:${header ? "bold 11px" : "13px"}/18px ${FONT};color:${header ? MUTED : INK};${nowrap ? "white-space:nowrap;" : ""}`;
    return header
      ? html`<th align="${align}" style="${style}">${content}</th>`
      : html`<td align="${align}" style="${style}">${content}</td>`;
  };
  return html`<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;width:100%;">
<tr valign="top">${columns.map((c) => cell(c.label, c, true))}</tr>
${rows.map((row) => html`<tr valign="top">${row.map((content, i) => cell(content, columns[i]))}</tr>`)}
</table>`;
}

/** A horizontal stacked bar of table cells: [count, colour] segments scaled so that `max` is `width` px. */
export function stackedBar(segments: readonly [number, string][], max: number, width = 240): Markup {
  const cells = segments
    .filter(([count]) => count > 0)
    .map(([count, color]) => {
      const px = Math.max(2, Math.round((count / Math.max(max, 1)) * width));
      return html`<td width="${px}" height="12" bgcolor="${color}" style="width:${px}px;height:12px;background:${color};font-size:0;line-height:0;">&nbsp;</td>`;
    });
  if (cells.length === 0) return html`<span style="color:${MUTED};font-size:12px;">–</span>`;
  return html`<table role="presentation" cellpadding="0" cellspacing="0" border="0" style="border-collapse:collapse;"><tr>${cells}</tr></table>`;
}

/** A coloured square for a legend. */
export function swatch(color: string): Markup {
  return html`<span style="display:inline-block;width:10px;height:10px;background:${color};vertical-align:middle;">&nbsp;</span>`;
}
