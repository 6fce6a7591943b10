import path from "node:path";
import type { ConfigFile, Location } from "../types.ts";

/**
 * What a retraining script gives `rspamc learn_spam|learn_ham` as the Bayes user:
 * - `none`: no `-d`/`--deliver` (Rspamd then keys the learn by the message's first To/Cc address),
 * - `argument`: the script's first argument as it came (the IMAP login the sieve script passes),
 * - `completed`: the argument, with `@domain` added to logins without one,
 * - `local-part`: the argument without its domain,
 * - `fixed`: the same literal user for everybody.
 */
export type LearnUser = "none" | "argument" | "completed" | "local-part" | "fixed";

export type LearnScript = {
  /** script: a shell script IMAPSieve pipes into; sieve: the sieve script pipes into rspamc itself. */
  via: "script" | "sieve";
  file: string;
  /** The line calling rspamc learn_*. */
  loc: Location;
  line: string;
  learnClass: "spam" | "ham";
  user: LearnUser;
  /** The `-d` argument as written (`"$user"`), null without one. */
  deliver: string | null;
  /** `-u`/`--user`: the authenticated user header, which Bayes does not key by. */
  userHeader: string | null;
  /** What the sieve script that pipes into it passes (imap.user = the login), when a sieve script names it. */
  passes: { variable: string; sieve: Location } | null;
};

const RSPAMC = /\brspamc\b.*\blearn_(spam|ham)\b/;
const OPTION = (names: string) => new RegExp(`(?:^|\\s)(?:${names})(?:\\s+|=)("[^"]*"|'[^']*'|\\S+)`);
const DELIVER = OPTION("-d|--deliver");
const USER_HEADER = OPTION("-u|--user");

/** Reads the learn scripts given, and sieve scripts that pipe straight into rspamc. */
export function readLearnScripts(files: ConfigFile[]): LearnScript[] {
  const pipes = files.filter((f) => f.kind === "sieve").flatMap((f) => sievePipes(f));
  const scripts = files
    .filter((f) => f.kind === "learn-script")
    .flatMap((file): LearnScript[] => {
      const lines = file.text.split(/\r?\n/);
      const call = shellLines(lines).find((l) => RSPAMC.test(l.text) && !/^\s*#/.test(l.text));
      if (!call) return [];
      const deliver = DELIVER.exec(call.text.replace(/\blearn_\w+.*$/s, ""))?.[1] ?? null;
      const pipe = pipes.find((p) => p.program === path.basename(file.path));
      return [
        {
          via: "script",
          file: file.path,
          loc: { file: file.path, line: call.line, endLine: call.endLine },
          line: call.text,
          learnClass: RSPAMC.exec(call.text)?.[1] === "ham" ? "ham" : "spam",
          user: deliver === null ? "none" : userShape(deliver, lines),
          deliver,
          userHeader: USER_HEADER.exec(call.text)?.[1] ?? null,
          passes: pipe ? { variable: pipe.variable, sieve: pipe.loc } : null,
        },
      ];
    });
  const direct = pipes
    .filter((p) => path.basename(p.program) === "rspamc")
    .map((p): LearnScript => {
      const at = p.args.findIndex((a) => a === "-d" || a === "--deliver");
      const deliver =
        at >= 0
          ? (p.args[at + 1] ?? null)
          : (p.args.find((a) => a.startsWith("--deliver="))?.slice(10) ?? null);
      const variable = /\$\{(\w+)\}/.exec(deliver ?? "")?.[1];
      const user: LearnUser =
        deliver === null
          ? "none"
          : !variable
            ? "fixed"
            : /\}@[\w.-]+/.test(deliver)
              ? "completed"
              : "argument";
      return {
        via: "sieve",
        file: p.loc.file,
        loc: p.loc,
        line: p.text,
        learnClass: p.args.includes("learn_ham") ? "ham" : "spam",
        user,
        deliver: deliver === null ? null : `"${deliver}"`,
        userHeader: null,
        passes: { variable: variable ? (p.sources.get(variable) ?? variable) : "(nothing)", sieve: p.loc },
      };
    });
  return [...scripts, ...direct];
}

/** A shell script's logical lines: a line ending in a backslash continues on the next. */
function shellLines(lines: string[]): { text: string; line: number; endLine: number }[] {
  const out: { text: string; line: number; endLine: number }[] = [];
  let current: { text: string; line: number; endLine: number } | null = null;
  lines.forEach((raw, i) => {
    if (current) {
      current.text += ` ${raw.trim()}`;
      current.endLine = i + 1;
    } else current = { text: raw, line: i + 1, endLine: i + 1 };
    if (current.text.endsWith("\\")) current.text = current.text.slice(0, -1).trimEnd();
    else {
      out.push(current);
      current = null;
    }
  });
  if (current) out.push(current);
  return out;
}

const unquote = (s: string) => s.replace(/^["']|["']$/g, "");
const FIRST_ARG = /\$\{?1\}?/;

/** What `-d X` yields: X is `$1`, or a variable whose assignments tell what it holds. */
function userShape(deliver: string, lines: string[]): LearnUser {
  const value = unquote(deliver);
  if (FIRST_ARG.test(value)) return shapeOf(value);
  const variable = /^\$\{?(\w+)\}?$/.exec(value)?.[1];
  if (!variable) return value.includes("$") ? "argument" : "fixed";
  const assignments = lines
    .map((l) => new RegExp(`(?:^|[\\s;)])${variable}=("[^"]*"|'[^']*'|\\S+)`).exec(l)?.[1])
    .filter((v): v is string => v !== undefined)
    .map(unquote);
  if (assignments.length === 0) return "argument";
  const shapes = assignments.map(shapeOf);
  if (shapes.includes("completed")) return "completed";
  if (shapes.includes("local-part")) return "local-part";
  if (shapes.every((s) => s === "fixed")) return "fixed";
  return "argument";
}

function shapeOf(expression: string): LearnUser {
  if (/\$\{1%%?@\*\}|cut\s+-d\s*'?@/.test(expression)) return "local-part";
  if (/\$\{?1\}?@[A-Za-z0-9.-]+/.test(expression)) return "completed";
  if (FIRST_ARG.test(expression)) return "argument";
  return expression.includes("$") ? "argument" : "fixed";
}

type SievePipe = {
  program: string;
  args: string[];
  /** The variable the first argument names, resolved to its environment item (imap.user). */
  variable: string;
  sources: Map<string, string>;
  text: string;
  loc: Location;
};

/** `pipe :copy "learn-spam.sh" [ "${username}" ];` with `set "username" "${1}"` from `environment :matches "imap.user" "*"`. */
function sievePipes(file: ConfigFile): SievePipe[] {
  const text = file.text;
  const sources = new Map<string, string>();
  for (const m of text.matchAll(
    /environment\s+:matches\s+"([^"]+)"\s+"\*"\s*\{\s*set\s+"(\w+)"\s+"\$\{1\}"/g,
  ))
    if (m[1] && m[2]) sources.set(m[2], m[1]);
  const out: SievePipe[] = [];
  for (const m of text.matchAll(/\bpipe\s+(?::\w+\s+)*"([^"]+)"\s*(\[[^\]]*\])?/g)) {
    const args = [...(m[2] ?? "").matchAll(/"([^"]*)"/g)].map((a) => a[1] ?? "");
    const named = /\$\{(\w+)\}/.exec(args.find((a) => a.includes("${")) ?? "")?.[1];
    const line = text.slice(0, m.index).split("\n").length;
    out.push({
      program: m[1] ?? "",
      args,
      variable: named ? (sources.get(named) ?? named) : "(nothing)",
      sources,
      text: m[0],
      loc: { file: file.path, line, endLine: line + (m[0].match(/\n/g)?.length ?? 0) },
    });
  }
  return out;
}
