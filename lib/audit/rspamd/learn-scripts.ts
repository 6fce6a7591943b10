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

/** Reads the learn scripts given and what the sieve scripts piping into them pass. */
export function readLearnScripts(files: ConfigFile[]): LearnScript[] {
  const pipes = files.filter((f) => f.kind === "sieve").flatMap((f) => sievePipes(f));
  return files
    .filter((f) => f.kind === "learn-script")
    .flatMap((file) => {
      const lines = file.text.split(/\r?\n/);
      const index = lines.findIndex((l) => RSPAMC.test(l) && !/^\s*#/.test(l));
      const line = lines[index];
      if (index < 0 || line === undefined) return [];
      const deliver = DELIVER.exec(line.replace(/\blearn_\w+.*$/, ""))?.[1] ?? null;
      const pipe = pipes.find((p) => p.program === path.basename(file.path));
      return [
        {
          file: file.path,
          loc: { file: file.path, line: index + 1, endLine: index + 1 },
          line,
          learnClass: RSPAMC.exec(line)?.[1] === "ham" ? "ham" : "spam",
          user: deliver === null ? "none" : userShape(deliver, lines),
          deliver,
          userHeader: USER_HEADER.exec(line)?.[1] ?? null,
          passes: pipe ? { variable: pipe.variable, sieve: pipe.loc } : null,
        },
      ];
    });
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

/** `pipe :copy "learn-spam.sh" [ "${username}" ];` with `set "username" "${1}"` from `environment :matches "imap.user" "*"`. */
function sievePipes(file: ConfigFile): { program: string; variable: string; loc: Location }[] {
  const text = file.text;
  const sources = new Map<string, string>();
  for (const m of text.matchAll(
    /environment\s+:matches\s+"([^"]+)"\s+"\*"\s*\{\s*set\s+"(\w+)"\s+"\$\{1\}"/g,
  ))
    if (m[1] && m[2]) sources.set(m[2], m[1]);
  const out: { program: string; variable: string; loc: Location }[] = [];
  for (const m of text.matchAll(/\bpipe\s+(?::\w+\s+)*"([^"]+)"\s*(\[[^\]]*\])?/g)) {
    const program = m[1] ?? "";
    const args = [...(m[2] ?? "").matchAll(/"([^"]*)"/g)].map((a) => a[1] ?? "");
    const variable = /\$\{(\w+)\}/.exec(args[0] ?? "")?.[1];
    const line = text.slice(0, m.index).split("\n").length;
    out.push({
      program,
      variable: variable ? (sources.get(variable) ?? variable) : "(nothing)",
      loc: { file: file.path, line, endLine: line },
    });
  }
  return out;
}
