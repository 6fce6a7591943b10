import path from "node:path";
import type { ParseProblem } from "../parse/main-cf.ts";
import { parseUcl, type UclEntry } from "../parse/ucl.ts";
import type { ConfigFile } from "../types.ts";
import { type Chunk, type IncludeHandler, insertEntries, newObject, type ObjectNode } from "./tree.ts";

/** Rspamd's merged configuration and where it came from. */
export type RspamdConfig = {
  root: ObjectNode;
  /** files: rspamd.conf and its includes, or local.d/override.d over the defaults; dump: `rspamadm configdump` output. */
  source: "files" | "dump";
  /** Where local.d files are (new files of a fix go there); null when only a dump was given. */
  localDir: string | null;
  /** The files read, by path: parsed once each. */
  used: string[];
  problems: (ParseProblem & { file: string })[];
};

/** The loc of a value Rspamd has when nothing sets it. */
export const DEFAULT_FILE = "";

// The settings the checks read, as Rspamd 3.x ships them (conf/statistic.conf, conf/options.inc,
// conf/rspamd.conf's workers): used when rspamd.conf itself is not among the files given.
const DEFAULTS = `
classifier "bayes" { backend = "redis"; min_learns = 200; new_schema = true; min_tokens = 11; }
worker "normal" { bind_socket = "localhost:11333"; }
worker "controller" { bind_socket = "localhost:11334"; }
worker "rspamd_proxy" { bind_socket = "localhost:11332"; milter = yes; }
options { local_addrs = [192.168.0.0/16, 10.0.0.0/8, 172.16.0.0/12, fd00::/8, 169.254.0.0/16, fe80::/10]; }
`;

const isRspamdConf = (f: ConfigFile) => f.kind === "rspamd-conf";

/** Where a local.d/override.d file lands in rspamd.conf's layout (conf/rspamd.conf, conf/statistic.conf, conf/modules.d). */
export function standardTarget(name: string): string[] {
  const worker = /^worker-(\w+)\.inc$/.exec(name)?.[1];
  if (worker) return ["worker", worker === "proxy" ? "rspamd_proxy" : worker];
  if (name === "classifier-bayes.conf") return ["classifier", "bayes"];
  if (name === "statistic.conf" || name === "statistics.conf") return [];
  return [name.replace(/\.(conf|inc)$/, "")];
}

/** Reads Rspamd's configuration from the files given; null when none is Rspamd's. */
export function loadRspamd(files: ConfigFile[]): RspamdConfig | null {
  const confs = files.filter(isRspamdConf);
  const dump = files.find((f) => f.kind === "rspamd-configdump");
  if (confs.length === 0 && !dump) return null;
  const problems: RspamdConfig["problems"] = [];
  const used: string[] = [];
  const parsed = new Map<string, UclEntry[]>();
  const parse = (file: ConfigFile): UclEntry[] => {
    const known = parsed.get(file.path);
    if (known) return known;
    const doc = parseUcl(file.text);
    for (const p of doc.problems) problems.push({ ...p, file: file.path });
    parsed.set(file.path, doc.entries);
    used.push(file.path);
    return doc.entries;
  };
  const root = newObject({ file: DEFAULT_FILE, line: 0, endLine: 0 });
  const main = confs.find((f) => path.basename(f.path) === "rspamd.conf");
  if (main) {
    const confDir = path.dirname(main.path);
    const onInclude = includeResolver(confs, confDir, parse, problems);
    insertEntries(root, parse(main), { file: main.path, priority: 0, duplicate: "append" }, onInclude);
    return { root, source: "files", localDir: path.join(confDir, "local.d"), used, problems };
  }
  if (confs.length === 0 && dump) {
    insertDump(root, dump, problems);
    used.push(dump.path);
    return { root, source: "dump", localDir: null, used, problems };
  }
  const noInclude: IncludeHandler = (_target, include, from) =>
    problems.push({
      file: from.file,
      line: include.line,
      reason: `includes ${include.path}, which is not read without rspamd.conf`,
    });
  const defaults = parseUcl(DEFAULTS).entries;
  insertEntries(root, defaults, { file: DEFAULT_FILE, priority: 0, duplicate: "append" }, noInclude);
  let localDir: string | null = null;
  // local.d merges into the defaults (priority 1, duplicate=merge); override.d replaces (priority 10).
  for (const [dir, priority, duplicate] of [
    ["local.d", 1, "merge"],
    ["override.d", 10, "append"],
  ] as const) {
    for (const file of confs.filter((f) => path.basename(path.dirname(f.path)) === dir)) {
      if (dir === "local.d") localDir ??= path.dirname(file.path);
      const target = ensurePath(root, standardTarget(path.basename(file.path)), file.path);
      insertEntries(target, parse(file), { file: file.path, priority, duplicate }, noInclude);
    }
  }
  // rspamd.conf's own local files: rspamd.conf.local merges at the top level, the .override files replace.
  for (const file of confs) {
    const name = path.basename(file.path);
    if (!/^rspamd\.conf\.(local|override|local\.override)$/.test(name)) continue;
    const chunk: Chunk =
      name === "rspamd.conf.local"
        ? { file: file.path, priority: 1, duplicate: "merge" }
        : { file: file.path, priority: 10, duplicate: "append" };
    insertEntries(root, parse(file), chunk, noInclude);
  }
  const anyDir = confs.map((f) => path.dirname(f.path)).find((d) => /\/(local|override)\.d$/.test(d));
  localDir ??= anyDir ? path.join(path.dirname(anyDir), "local.d") : null;
  return { root, source: "files", localDir, used, problems };
}

function ensurePath(root: ObjectNode, keys: string[], file: string): ObjectNode {
  let node = root;
  keys.forEach((key, i) => {
    const slot = node.keys.get(key);
    const objects = (slot?.values ?? []).filter((v): v is ObjectNode => v.kind === "object");
    // `worker` holds one object per worker (an implicit array): take the one that has the next key.
    const next = keys[i + 1];
    const existing = objects.find((o) => next !== undefined && o.keys.has(next)) ?? objects[0];
    if (existing) node = existing;
    else {
      const created = newObject({ file, line: 1, endLine: 1 });
      node.keys.set(key, { values: [...(slot?.values ?? []), created], priority: slot?.priority ?? 0 });
      node = created;
    }
  });
  return node;
}

const VARIABLES = /\$\{?(CONFDIR|LOCAL_CONFDIR)\}?/g;

/** `.include(try=true; priority=1,duplicate=merge) "$LOCAL_CONFDIR/local.d/x.conf"`: matched against the files given. */
function includeResolver(
  confs: ConfigFile[],
  confDir: string,
  parse: (file: ConfigFile) => UclEntry[],
  problems: RspamdConfig["problems"],
): IncludeHandler {
  const active = new Set<string>();
  const handler: IncludeHandler = (target, include, from) => {
    const wanted = include.path.replace(VARIABLES, confDir);
    // Other variables ($DBDIR, $PLUGINSDIR …) name places outside the configuration.
    if (wanted.includes("$")) return;
    const absolute = path.isAbsolute(wanted) ? wanted : path.join(path.dirname(from.file), wanted);
    const pattern = new RegExp(`^${absolute.split("*").map(escapeRegex).join("[^/]*")}$`);
    const found = confs.filter((f) => pattern.test(f.path)).sort((a, b) => a.path.localeCompare(b.path));
    if (found.length === 0) {
      const optional = /^(true|yes)$/i.test(include.params.try ?? "") || absolute.includes("*");
      // Rspamd's own files (maps, the dynamic directory) may be absent from a copy.
      if (!optional && absolute.startsWith(confDir))
        problems.push({
          file: from.file,
          line: include.line,
          reason: `includes ${include.path}, which was not among the files given`,
        });
      return;
    }
    const priority = Number(include.params.priority ?? "0");
    const duplicate = include.params.duplicate;
    for (const file of found) {
      const chunk: Chunk = {
        file: file.path,
        priority: Number.isFinite(priority) ? priority : 0,
        duplicate: duplicate === "merge" ? "merge" : duplicate === "rewrite" ? "rewrite" : "append",
      };
      // A file that includes itself (directly or not) is read once.
      if (active.has(file.path)) continue;
      active.add(file.path);
      insertEntries(target, parse(file), chunk, handler);
      active.delete(file.path);
    }
  };
  return handler;
}

const escapeRegex = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");

/** `rspamadm configdump` output: `*** Section NAME ***` … `*** End of section NAME ***`, one per section. */
function insertDump(root: ObjectNode, dump: ConfigFile, problems: RspamdConfig["problems"]): void {
  const lines = dump.text.split(/\r?\n/);
  let section: { name: string; start: number } | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    const start = /^\*\*\* Section (\S+) \*\*\*$/.exec(line);
    if (start?.[1]) {
      section = { name: start[1], start: i + 1 };
      continue;
    }
    if (section && /^\*\*\* End of section/.test(line)) {
      // Blank lines keep the section's line numbers those of the dump.
      const text = `${"\n".repeat(section.start)}${lines.slice(section.start, i).join("\n")}`;
      const doc = parseUcl(text);
      for (const p of doc.problems) problems.push({ ...p, file: dump.path });
      const target = ensurePath(root, [section.name], dump.path);
      insertEntries(target, doc.entries, { file: dump.path, priority: 0, duplicate: "append" }, () => {});
      section = null;
    }
  }
}
