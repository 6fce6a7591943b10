// Building blocks of the plain-text report: wrapped paragraphs, aligned tables, headings.

export const WIDTH = 76;

/** Wraps text at word boundaries to `width`, every line after the first indented by `indent`. */
export function wrap(text: string, indent = "", first = indent, width = WIDTH): string {
  const words = text.split(/\s+/).filter(Boolean);
  const lines: string[] = [];
  let line = first;
  let empty = true;
  for (const word of words) {
    if (!empty && line.length + 1 + word.length > width) {
      lines.push(line);
      line = indent;
      empty = true;
    }
    line += empty ? word : ` ${word}`;
    empty = false;
  }
  lines.push(line);
  return lines.join("\n");
}

/** An underlined heading. */
export function heading(title: string): string {
  return `${title}\n${"=".repeat(Math.min(title.length, WIDTH))}`;
}

/** An aligned table; columns listed in `right` are right-aligned. */
export function textTable(
  header: readonly string[],
  rows: readonly string[][],
  right: readonly number[] = [],
): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (right.includes(i) ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)].join("\n");
}

/** A bar of `#` (spam), `=` (innocent) and `.` (no verdict), scaled so that `max` is `width` characters. */
export function textBar(spam: number, innocent: number, none: number, max: number, width = 40): string {
  const scale = (n: number) => (n > 0 ? Math.max(1, Math.round((n / Math.max(max, 1)) * width)) : 0);
  return "#".repeat(scale(spam)) + "=".repeat(scale(innocent)) + ".".repeat(scale(none));
}
