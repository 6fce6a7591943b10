import type { Location } from "../types.ts";
import { logicalLines } from "./logical-lines.ts";

export type Setting = { name: string; value: string; loc: Location };
export type ParseProblem = { line: number; reason: string };
export type MainCf = { settings: Map<string, Setting>; problems: ParseProblem[] };

// `content_filter = lmtp:unix:/var/run/dspam/dspam.sock` (postconf(5): whitespace around "=" and at
// the end of a logical line is ignored).
const ASSIGNMENT = /^([A-Za-z0-9_.-]+)\s*=\s*(.*?)\s*$/;

/** Parses main.cf or the output of `postconf -n` (the same syntax); the last assignment of a name wins. */
export function parseMainCf(text: string, file: string): MainCf {
  const settings = new Map<string, Setting>();
  const problems: ParseProblem[] = [];
  for (const logical of logicalLines(text)) {
    const match = ASSIGNMENT.exec(logical.text);
    if (!match?.[1]) {
      problems.push({ line: logical.line, reason: `not a "name = value" line: ${clip(logical.text)}` });
      continue;
    }
    settings.set(match[1], {
      name: match[1],
      value: match[2] ?? "",
      loc: { file, line: logical.line, endLine: logical.endLine },
    });
  }
  return { settings, problems };
}

export const clip = (text: string, max = 80) => (text.length > max ? `${text.slice(0, max)}…` : text);
