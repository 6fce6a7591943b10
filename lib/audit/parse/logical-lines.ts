/** One logical line of a Postfix-style file: its text joined from continuation lines, with its line span. */
export type LogicalLine = { text: string; line: number; endLine: number; physical: string[] };

/**
 * Postfix's syntax for main.cf, master.cf and lookup-table sources (postconf(5), master(5)): lines
 * whose first non-blank character is `#` and blank lines are ignored; a line starting with
 * whitespace continues the logical line before it.
 */
export function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  const lines = text.split(/\r?\n/);
  let current: LogicalLine | undefined;
  lines.forEach((raw, index) => {
    const n = index + 1;
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    if (/^\s/.test(raw) && current) {
      current.text += ` ${trimmed}`;
      current.endLine = n;
      current.physical.push(raw);
      return;
    }
    current = { text: trimmed, line: n, endLine: n, physical: [raw] };
    out.push(current);
  });
  return out;
}

/** The number of lines of a file's text, as editors count them (a final newline ends the last line). */
export function lineCount(text: string): number {
  if (text === "") return 0;
  const lines = text.split(/\r?\n/);
  return lines.at(-1) === "" ? lines.length - 1 : lines.length;
}
