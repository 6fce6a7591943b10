import type { ParseProblem } from "./main-cf.ts";

/**
 * A small reader for UCL, the language of Rspamd's configuration: what real configurations use.
 * `key = value;`, `key value;`, `key: value`, `section "name" { … }` (= section { name { … } }),
 * arrays, `#` and nested `/* … *\/` comments, quoted strings, `<<EOD` multi-line strings and the
 * `.include(params) "path"` macro. Anything else is a problem on its line, and reading goes on.
 */
export type UclValue =
  | { kind: "scalar"; text: string; line: number }
  | { kind: "object"; entries: UclEntry[]; line: number }
  | { kind: "array"; items: UclValue[]; line: number };

/** An entry of an object: a key and its value, or an `.include` where it stands. */
export type UclEntry =
  | { kind: "pair"; key: string; value: UclValue; line: number; endLine: number }
  | { kind: "include"; path: string; params: Record<string, string>; line: number };

export type UclDocument = { entries: UclEntry[]; problems: ParseProblem[] };

const BARE_KEY = /^[A-Za-z0-9_\-./$@*+]+/;

class Reader {
  pos = 0;
  line = 1;
  problems: ParseProblem[] = [];
  constructor(readonly text: string) {}

  peek(offset = 0): string {
    return this.text[this.pos + offset] ?? "";
  }

  advance(count = 1) {
    for (let i = 0; i < count && this.pos < this.text.length; i++) {
      if (this.text[this.pos] === "\n") this.line += 1;
      this.pos += 1;
    }
  }

  /** Skips blanks, newlines and comments. */
  skip() {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\r" || c === "\n") this.advance();
      else if (c === "#") while (this.pos < this.text.length && this.peek() !== "\n") this.advance();
      else if (c === "/" && this.peek(1) === "*") this.blockComment();
      else return;
    }
  }

  /** Skips blanks and comments on this line only. */
  skipInline() {
    for (;;) {
      const c = this.peek();
      if (c === " " || c === "\t" || c === "\r") this.advance();
      else if (c === "/" && this.peek(1) === "*") this.blockComment();
      else return;
    }
  }

  blockComment() {
    const start = this.line;
    let depth = 0;
    while (this.pos < this.text.length) {
      if (this.peek() === "/" && this.peek(1) === "*") {
        depth += 1;
        this.advance(2);
      } else if (this.peek() === "*" && this.peek(1) === "/") {
        depth -= 1;
        this.advance(2);
        if (depth === 0) return;
      } else this.advance();
    }
    this.problem(start, "a /* comment that never ends");
  }

  problem(line: number, reason: string) {
    this.problems.push({ line, reason });
  }

  /** Drops the rest of a statement after a problem: up to `;` or the end of the line. */
  recover() {
    while (this.pos < this.text.length && !";\n}]".includes(this.peek())) this.advance();
    if (this.peek() === ";") this.advance();
  }
}

/** Reads one UCL file; never throws: what it cannot read is a problem with its line. */
export function parseUcl(text: string): UclDocument {
  const reader = new Reader(text.replace(/^\uFEFF/, ""));
  reader.skip();
  // A file may wrap its top level in braces (JSON style).
  const braced = reader.peek() === "{";
  if (braced) reader.advance();
  const entries = readEntries(reader, braced ? "}" : "");
  if (braced) {
    reader.skip();
    if (reader.peek() === "}") reader.advance();
  }
  reader.skip();
  if (reader.pos < reader.text.length) reader.problem(reader.line, `unexpected "${reader.peek()}"`);
  return { entries, problems: reader.problems };
}

function readEntries(r: Reader, close: "}" | "", openLine = r.line): UclEntry[] {
  const entries: UclEntry[] = [];
  for (;;) {
    r.skip();
    const c = r.peek();
    if (c === "") {
      if (close) r.problem(openLine, `a section opened without its closing "${close}"`);
      return entries;
    }
    if (c === close) {
      r.advance();
      return entries;
    }
    if (c === ";" || c === ",") {
      r.advance();
      continue;
    }
    if (c === "}" || c === "]") {
      r.problem(r.line, `"${c}" closes nothing`);
      r.advance();
      continue;
    }
    const before = r.pos;
    const entry = c === "." ? readMacro(r) : readPair(r);
    if (entry) entries.push(entry);
    if (r.pos === before) r.advance();
  }
}

function readMacro(r: Reader): UclEntry | null {
  const line = r.line;
  const name = /^\.([A-Za-z_]+)/.exec(r.text.slice(r.pos))?.[1];
  if (!name) {
    r.problem(line, "a line starting with '.' that is no macro");
    r.recover();
    return null;
  }
  r.advance(name.length + 1);
  r.skipInline();
  const params: Record<string, string> = {};
  if (r.peek() === "(") {
    const end = r.text.indexOf(")", r.pos);
    if (end < 0) {
      r.problem(line, `.${name}( without its ")"`);
      r.recover();
      return null;
    }
    for (const part of r.text.slice(r.pos + 1, end).split(/[;,]/)) {
      const [k, ...v] = part.split("=");
      if (k?.trim()) params[k.trim()] = v.join("=").trim().replace(/^"|"$/g, "");
    }
    r.advance(end - r.pos + 1);
    r.skipInline();
  }
  const argument = /[\n;}]/.test(r.peek()) || r.peek() === "" ? null : readValue(r);
  if (name === "include" || name === "try_include") {
    if (argument?.kind !== "scalar") {
      r.problem(line, `.${name} without a file name`);
      return null;
    }
    if (name === "try_include") params.try = "true";
    return { kind: "include", path: argument.text, params, line };
  }
  // .priority, .inherit, .load, .include_map … change nothing the audit reads; unknown ones are said.
  if (!["priority", "inherit", "load", "include_map", "includes"].includes(name))
    r.problem(line, `unknown macro .${name}`);
  return null;
}

function readKey(r: Reader): string | null {
  const c = r.peek();
  if (c === '"' || c === "'") return readQuoted(r);
  const bare = BARE_KEY.exec(r.text.slice(r.pos))?.[0];
  if (!bare) return null;
  r.advance(bare.length);
  return bare;
}

function readPair(r: Reader): UclEntry | null {
  const line = r.line;
  const keys: string[] = [];
  const first = readKey(r);
  if (first === null) {
    r.problem(line, `cannot read a setting name at "${r.text.slice(r.pos, r.pos + 20).split("\n")[0]}"`);
    r.recover();
    return null;
  }
  keys.push(first);
  let value: UclValue | null = null;
  for (;;) {
    r.skipInline();
    const c = r.peek();
    if (c === "=" || c === ":") {
      r.advance();
      r.skip();
      value = readValue(r);
      break;
    }
    if (c === "{" || c === "[" || c === "<") {
      value = readValue(r);
      break;
    }
    if (c === "\n" || c === ";" || c === "" || c === "}" || c === "#") {
      r.problem(line, `"${keys.join(" ")}" has no value`);
      r.recover();
      return null;
    }
    // `section "name" {` names a sub-object; `key value;` is a value without `=`.
    const save = { pos: r.pos, line: r.line };
    const next = readKey(r);
    if (next === null) {
      value = readValue(r);
      break;
    }
    r.skipInline();
    if (r.peek() === "{" || (r.peek() !== "=" && r.peek() !== ":" && /^["'A-Za-z0-9_]/.test(r.peek()))) {
      keys.push(next);
      continue;
    }
    r.pos = save.pos;
    r.line = save.line;
    value = readValue(r);
    break;
  }
  if (!value) {
    r.recover();
    return null;
  }
  const endLine = r.line;
  r.skipInline();
  if (r.peek() === ";" || r.peek() === ",") r.advance();
  // section "a" "b" { … } nests: { section: { a: { b: { … } } } }
  let nested: UclValue = value;
  for (let i = keys.length - 1; i >= 1; i--)
    nested = {
      kind: "object",
      entries: [{ kind: "pair", key: keys[i] ?? "", value: nested, line, endLine }],
      line,
    };
  return { kind: "pair", key: keys[0] ?? "", value: nested, line, endLine };
}

function readValue(r: Reader): UclValue | null {
  const line = r.line;
  const c = r.peek();
  if (c === "{") {
    r.advance();
    return { kind: "object", entries: readEntries(r, "}", line), line };
  }
  if (c === "[") {
    r.advance();
    return { kind: "array", items: readItems(r), line };
  }
  if (c === '"' || c === "'") {
    const text = readQuoted(r);
    return text === null ? null : { kind: "scalar", text, line };
  }
  if (c === "<" && r.peek(1) === "<") return readHeredoc(r);
  const bare = /^[^;,\n\]}#]*/.exec(r.text.slice(r.pos))?.[0] ?? "";
  const text = bare.trimEnd();
  if (text === "") {
    r.problem(line, "a setting without a value");
    return null;
  }
  r.advance(text.length);
  return { kind: "scalar", text, line };
}

function readItems(r: Reader): UclValue[] {
  const items: UclValue[] = [];
  const start = r.line;
  for (;;) {
    r.skip();
    const c = r.peek();
    if (c === "") {
      r.problem(start, 'an array without its closing "]"');
      return items;
    }
    if (c === "]") {
      r.advance();
      return items;
    }
    if (c === "," || c === ";") {
      r.advance();
      continue;
    }
    const before = r.pos;
    const value = readValue(r);
    if (value) items.push(value);
    else r.recover();
    if (r.pos === before) r.advance();
  }
}

const ESCAPES: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f" };

function readQuoted(r: Reader): string | null {
  const quote = r.peek();
  const line = r.line;
  r.advance();
  let out = "";
  while (r.pos < r.text.length) {
    const c = r.peek();
    if (c === quote) {
      r.advance();
      return out;
    }
    if (c === "\n" && quote === '"') break;
    if (c === "\\") {
      const next = r.peek(1);
      out += quote === '"' ? (ESCAPES[next] ?? next) : next === "'" ? "'" : `\\${next}`;
      r.advance(2);
      continue;
    }
    out += c;
    r.advance();
  }
  r.problem(line, "a quoted string that never ends");
  return null;
}

/** `<<EOD` … a line holding only `EOD` (UCL: the terminator is upper-case letters). */
function readHeredoc(r: Reader): UclValue | null {
  const line = r.line;
  const match = /^<<([A-Z]+)[ \t]*\r?\n/.exec(r.text.slice(r.pos));
  if (!match?.[1]) {
    r.problem(line, "a << multi-line string without its terminator word");
    r.recover();
    return null;
  }
  const terminator = match[1];
  r.advance(match[0].length);
  const rest = r.text.slice(r.pos);
  const end = new RegExp(`(^|\\n)${terminator}[ \\t]*(?=[;,\\r\\n}\\]]|$)`).exec(rest);
  if (!end) {
    r.problem(line, `a <<${terminator} multi-line string that never ends`);
    r.advance(rest.length);
    return null;
  }
  const text = rest.slice(0, end.index);
  r.advance(end.index + end[0].length);
  return { kind: "scalar", text, line };
}
