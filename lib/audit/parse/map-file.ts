import type { Location } from "../types.ts";
import { logicalLines } from "./logical-lines.ts";
import { clip, type ParseProblem } from "./main-cf.ts";

export type MapEntry = { key: string; value: string; loc: Location };
export type MapFile = { entries: MapEntry[]; problems: ParseProblem[] };
/** aliases(5) writes `name: value, value`; pcre/regexp tables `/pattern/flags action`; the rest `key value`. */
export type MapSyntax = "table" | "aliases" | "regexp";

// `/./   FILTER dspam:unix:/var/run/dspam.sock`; `if`/`endif` blocks only nest patterns.
const REGEXP_LINE = /^(\/(?:\\.|[^/])*\/[a-zA-Z]*|!?\/(?:\\.|[^/])*\/[a-zA-Z]*)\s*(.*)$/;

/** Parses the source file of a Postfix lookup table (the text `postmap` reads, not the .db). */
export function parseMapFile(text: string, file: string, syntax: MapSyntax): MapFile {
  const entries: MapEntry[] = [];
  const problems: ParseProblem[] = [];
  for (const logical of logicalLines(text)) {
    const loc = { file, line: logical.line, endLine: logical.endLine };
    if (syntax === "regexp") {
      if (/^(if|endif)\b/.test(logical.text)) continue;
      const match = REGEXP_LINE.exec(logical.text);
      if (match?.[1]) entries.push({ key: match[1], value: match[2] ?? "", loc });
      else
        problems.push({ line: logical.line, reason: `not a "/pattern/ action" line: ${clip(logical.text)}` });
      continue;
    }
    if (syntax === "aliases") {
      const colon = logical.text.indexOf(":");
      if (colon > 0) {
        entries.push({
          key: logical.text.slice(0, colon).trim(),
          value: logical.text.slice(colon + 1).trim(),
          loc,
        });
        continue;
      }
    }
    const match = /^(\S+)\s+(.*)$/.exec(logical.text);
    if (match?.[1]) entries.push({ key: match[1], value: (match[2] ?? "").trim(), loc });
    else problems.push({ line: logical.line, reason: `a key without a value: ${clip(logical.text)}` });
  }
  return { entries, problems };
}

/** The addresses a virtual(5) or aliases(5) value lists (comma and/or whitespace separated). */
export function mapTargets(value: string): string[] {
  return value
    .split(/[\s,]+/)
    .map((v) => v.trim())
    .filter((v) => v !== "");
}
