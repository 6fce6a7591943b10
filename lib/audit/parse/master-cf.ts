import type { Location } from "../types.ts";
import { clip, type ParseProblem } from "./main-cf.ts";

/** A `-o name=value` (or `-o { name = value }`) override, with where its text is. */
export type ServiceOption = {
  name: string;
  value: string;
  /** The physical line holding the `-o`, and the columns of the whole option text in it. */
  line: number;
  startCol: number;
  endCol: number;
};

export type MasterService = {
  name: string;
  type: string;
  private: string;
  unpriv: string;
  chroot: string;
  wakeup: string;
  maxproc: string;
  command: string;
  args: string[];
  options: ServiceOption[];
  loc: Location;
};

export type MasterCf = { services: MasterService[]; problems: ParseProblem[]; lineTexts: string[] };

type Token = { text: string; line: number; startCol: number; endCol: number; grouped: boolean };

/** Splits one logical master.cf line into tokens; `{ … }` groups one token that may hold whitespace (master(5), Postfix ≥ 3.0). */
function tokenize(lines: { raw: string; n: number }[]): Token[] | string {
  const tokens: Token[] = [];
  let current: Token | undefined;
  let depth = 0;
  for (const { raw, n } of lines) {
    for (let col = 0; col < raw.length; col++) {
      const ch = raw[col] ?? "";
      if (depth === 0 && /\s/.test(ch)) {
        current = undefined;
        continue;
      }
      if (!current) {
        current = { text: "", line: n, startCol: col, endCol: col, grouped: ch === "{" };
        tokens.push(current);
      }
      if (ch === "{") depth += 1;
      if (ch === "}") depth -= 1;
      if (depth < 0) return `unbalanced "}" on line ${n}`;
      current.text += ch;
      if (current.line === n) current.endCol = col + 1;
    }
    if (depth > 0 && current) current.text += " ";
  }
  if (depth !== 0) return 'a "{" is never closed';
  return tokens;
}

const ungroup = (token: string) => token.replace(/^\{\s*/, "").replace(/\s*\}$/, "");

function readOption(flag: Token, next: Token | undefined): ServiceOption | string {
  const inline = flag.text.length > 2 ? flag.text.slice(2) : undefined;
  const body = inline ?? next?.text;
  if (body === undefined) return "-o without a value";
  const text = inline === undefined && next?.grouped ? ungroup(body) : body;
  const eq = text.indexOf("=");
  if (eq <= 0) return `-o ${clip(body, 40)} is not name=value`;
  const end = inline === undefined && next && next.line === flag.line ? next.endCol : flag.endCol;
  return {
    name: text.slice(0, eq).trim(),
    value: text.slice(eq + 1).trim(),
    line: flag.line,
    startCol: flag.startCol,
    endCol: end,
  };
}

/** Parses master.cf or `postconf -M` output (continuation lines joined); the last definition of a service wins. */
export function parseMasterCf(text: string, file: string): MasterCf {
  const lineTexts = text.split(/\r?\n/);
  const groups: { raw: string; n: number }[][] = [];
  lineTexts.forEach((raw, index) => {
    const trimmed = raw.trim();
    if (trimmed === "" || trimmed.startsWith("#")) return;
    if (/^\s/.test(raw) && groups.length > 0) groups.at(-1)?.push({ raw, n: index + 1 });
    else groups.push([{ raw, n: index + 1 }]);
  });
  const problems: ParseProblem[] = [];
  const byKey = new Map<string, MasterService>();
  for (const group of groups) {
    const first = group[0]?.n ?? 0;
    const tokens = tokenize(group);
    if (typeof tokens === "string") {
      problems.push({ line: first, reason: tokens });
      continue;
    }
    if (tokens.length < 8) {
      problems.push({
        line: first,
        reason: `a service needs 8 fields (name type private unpriv chroot wakeup maxproc command): ${clip(tokens.map((t) => t.text).join(" "))}`,
      });
      continue;
    }
    const [name, type, priv, unpriv, chroot, wakeup, maxproc, command] = tokens.map((t) => t.text);
    const rest = tokens.slice(8);
    const options: ServiceOption[] = [];
    const args: string[] = [];
    for (let i = 0; i < rest.length; i++) {
      const token = rest[i] as Token;
      if (token.text === "-o" || (token.text.startsWith("-o") && token.text.includes("="))) {
        const option = readOption(token, rest[i + 1]);
        if (typeof option === "string") problems.push({ line: token.line, reason: option });
        else options.push(option);
        if (token.text === "-o") i += 1;
        continue;
      }
      args.push(token.grouped ? ungroup(token.text) : token.text);
    }
    const service: MasterService = {
      name: name ?? "",
      type: type ?? "",
      private: priv ?? "-",
      unpriv: unpriv ?? "-",
      chroot: chroot ?? "-",
      wakeup: wakeup ?? "-",
      maxproc: maxproc ?? "-",
      command: command ?? "",
      args,
      options,
      loc: { file, line: first, endLine: group.at(-1)?.n ?? first },
    };
    byKey.delete(serviceKey(service));
    byKey.set(serviceKey(service), service);
  }
  return { services: [...byKey.values()], problems, lineTexts };
}

/** master.cf identifies a service by name and type; postconf -P writes it `name/type`. */
export const serviceKey = (service: { name: string; type: string }) => `${service.name}/${service.type}`;
