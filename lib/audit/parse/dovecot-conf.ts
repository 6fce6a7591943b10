import type { Location } from "../types.ts";
import { clip, type ParseProblem } from "./main-cf.ts";

/** One Dovecot setting with the sections it sits in (e.g. ["protocol imap"], ["plugin"]). */
export type DovecotSetting = { scope: string[]; key: string; value: string; loc: Location };
export type DovecotConf = {
  settings: DovecotSetting[];
  problems: (ParseProblem & { file: string })[];
  files: string[];
};

/** Finds the files an `!include` names (a path or glob, relative to the including file); null when none exist. */
export type IncludeResolver = (pattern: string, fromFile: string) => { path: string; text: string }[] | null;

// `mail_plugins = $mail_plugins antispam` / `namespace inbox {` / `!include_try conf.d/*.conf`
const ASSIGNMENT = /^([A-Za-z0-9_.-]+)\s*=\s*(.*)$/;
const SECTION = /^([A-Za-z0-9_.-]+)(?:\s+(.+?))?\s*\{$/;
const INCLUDE = /^!(include|include_try)\s+(.+)$/;

function stripComment(line: string): string {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (ch === '"') quoted = !quoted;
    if (ch === "#" && !quoted && (i === 0 || /\s/.test(line[i - 1] ?? ""))) return line.slice(0, i);
  }
  return line;
}

const unquote = (value: string) =>
  /^"(.*)"$/.test(value) ? value.slice(1, -1).replace(/\\"/g, '"').replace(/\\\\/g, "\\") : value;

/**
 * Parses dovecot.conf with its `!include`/`!include_try` files (conf.d), or `doveconf -n` output.
 * `$name` in a value is the value the same setting had before (`mail_plugins = $mail_plugins sieve`).
 */
export function parseDovecotConf(text: string, file: string, resolve: IncludeResolver): DovecotConf {
  const out: DovecotConf = { settings: [], problems: [], files: [] };
  const current = new Map<string, string>();
  const read = (body: string, path: string, scope: string[], depth: number) => {
    out.files.push(path);
    const stack = [...scope];
    body.split(/\r?\n/).forEach((raw, index) => {
      const n = index + 1;
      const line = stripComment(raw).trim();
      if (line === "") return;
      const include = INCLUDE.exec(line);
      if (include) {
        const found = depth < 10 ? resolve(unquote(include[2]?.trim() ?? ""), path) : null;
        if (!found && include[1] === "include")
          out.problems.push({ file: path, line: n, reason: `!include ${include[2]}: no such file` });
        for (const f of found ?? []) read(f.text, f.path, stack, depth + 1);
        return;
      }
      if (line === "}") {
        if (stack.length === scope.length)
          out.problems.push({ file: path, line: n, reason: 'a "}" closes nothing' });
        else stack.pop();
        return;
      }
      const section = SECTION.exec(line);
      if (section) {
        stack.push(section[2] ? `${section[1]} ${unquote(section[2])}` : (section[1] ?? ""));
        return;
      }
      const assignment = ASSIGNMENT.exec(line);
      if (!assignment?.[1]) {
        out.problems.push({ file: path, line: n, reason: `not a "name = value" line: ${clip(line)}` });
        return;
      }
      const key = assignment[1];
      const scopeKey = stack.join("\u0000");
      const before = current.get(`${scopeKey}\u0001${key}`) ?? current.get(`\u0001${key}`) ?? "";
      const value = unquote((assignment[2] ?? "").trim()).replace(
        /\$([A-Za-z0-9_]+)/g,
        (whole, name: string) => (name === key ? before : whole),
      );
      current.set(`${scopeKey}\u0001${key}`, value);
      out.settings.push({ scope: [...stack], key, value, loc: { file: path, line: n, endLine: n } });
    });
    if (stack.length > scope.length)
      out.problems.push({
        file: path,
        line: body.split(/\r?\n/).length,
        reason: `section "${stack.at(-1)}" is never closed`,
      });
  };
  read(text, file, [], 0);
  return out;
}

/** The last value of a setting in a scope (exactly those sections, e.g. ["plugin"]). */
export function dovecotValue(
  conf: DovecotConf,
  key: string,
  scope: string[] = [],
): DovecotSetting | undefined {
  return conf.settings.findLast((s) => s.key === key && s.scope.join("\u0000") === scope.join("\u0000"));
}
