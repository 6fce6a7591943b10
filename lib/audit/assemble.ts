import path from "node:path";
import type { FileLines } from "./edits.ts";
import { buildDovecotModel } from "./model/dovecot.ts";
import { buildDspamModel } from "./model/dspam.ts";
import { buildMailPath, type MailPath } from "./model/mail-path.ts";
import { buildPostfixConfig, mapReferences } from "./model/postfix.ts";
import { type IncludeResolver, parseDovecotConf } from "./parse/dovecot-conf.ts";
import { parseDspamConf } from "./parse/dspam-conf.ts";
import { lineCount } from "./parse/logical-lines.ts";
import { type ParseProblem, parseMainCf } from "./parse/main-cf.ts";
import { type MapFile, type MapSyntax, parseMapFile } from "./parse/map-file.ts";
import { parseMasterCf } from "./parse/master-cf.ts";
import { parsePostconfP } from "./parse/postconf-p.ts";
import { parseSieve } from "./parse/sieve.ts";
import { type LearnScript, readLearnScripts } from "./rspamd/learn-scripts.ts";
import { loadRspamd } from "./rspamd/load.ts";
import { buildRspamdModel, type RspamdModel } from "./rspamd/model.ts";
import type { ConfigFile } from "./types.ts";

/** Everything the checks read: the modelled path plus the file texts fixes are computed against. */
export type AuditModel = MailPath & {
  files: FileLines;
  problems: (ParseProblem & { file: string })[];
  /** Files given but not used, with why (a dump when the file itself was given too). */
  setAside: { file: string; reason: string }[];
  /** Rspamd's configuration, when one was given (null: the Rspamd checks do not run). */
  rspamd: RspamdModel | null;
  /** Retraining scripts calling `rspamc learn_*`, with what the sieve scripts pass them. */
  learnScripts: LearnScript[];
};

const first = (files: ConfigFile[], kind: ConfigFile["kind"]) => files.find((f) => f.kind === kind);

/** Parses the files given and models the mail path; pure (file texts in, model out). */
export function assembleModel(files: ConfigFile[]): AuditModel {
  const problems: AuditModel["problems"] = [];
  const setAside: AuditModel["setAside"] = [];
  const note = (file: string, list: ParseProblem[]) => {
    for (const p of list) problems.push({ ...p, file });
  };
  const prefer = (own: ConfigFile["kind"], dump: ConfigFile["kind"], what: string) => {
    const chosen = first(files, own) ?? first(files, dump);
    for (const f of files.filter((f) => (f.kind === own || f.kind === dump) && f !== chosen))
      setAside.push({ file: f.path, reason: `${what} is read from ${chosen?.path}` });
    return chosen;
  };

  const mainFile = prefer("postfix-main", "postconf-n", "main.cf");
  const masterFile = prefer("postfix-master", "postconf-M", "master.cf");
  let postconfPFile = first(files, "postconf-P");
  if (postconfPFile && masterFile?.kind === "postfix-master") {
    setAside.push({ file: postconfPFile.path, reason: `the overrides are read from ${masterFile.path}` });
    postconfPFile = undefined;
  }
  const main = mainFile ? parseMainCf(mainFile.text, mainFile.path) : null;
  if (main && mainFile) note(mainFile.path, main.problems);
  const master = masterFile ? parseMasterCf(masterFile.text, masterFile.path) : null;
  if (master && masterFile) note(masterFile.path, master.problems);
  const postconfP = postconfPFile ? parsePostconfP(postconfPFile.text, postconfPFile.path) : null;
  if (postconfP && postconfPFile) note(postconfPFile.path, postconfP.problems);

  const references = [
    ...[...(main?.settings.values() ?? [])].map((s) => ({ name: s.name, value: s.value })),
    ...(master?.services ?? []).flatMap((s) => s.options),
    ...(postconfP?.overrides ?? []),
  ];
  const maps = new Map<string, MapFile & { file: string }>();
  for (const ref of references) {
    for (const { type, path: mapPath } of mapReferences(ref.value)) {
      const file =
        files.find((f) => f.kind === "postfix-map" && matchesPath(f.path, mapPath)) ??
        nearMatch(files, mapPath);
      if (!file || maps.has(mapPath)) continue;
      const syntax: MapSyntax =
        type === "pcre" || type === "regexp"
          ? "regexp"
          : ref.name.startsWith("alias_") || path.basename(mapPath) === "aliases"
            ? "aliases"
            : "table";
      const parsed = parseMapFile(file.text, file.path, syntax);
      note(file.path, parsed.problems);
      maps.set(mapPath, { ...parsed, file: file.path });
    }
  }
  const postfix = buildPostfixConfig({
    main:
      main && mainFile
        ? {
            ...main,
            file: mainFile.path,
            source: mainFile.kind as "postfix-main" | "postconf-n",
            lineCount: lineCount(mainFile.text),
          }
        : null,
    master:
      master && masterFile
        ? {
            services: master.services,
            file: masterFile.path,
            source: masterFile.kind as "postfix-master" | "postconf-M",
          }
        : null,
    postconfP:
      postconfP && postconfPFile
        ? {
            overrides: postconfP.overrides,
            file: postconfPFile.path,
            lineCount: lineCount(postconfPFile.text),
          }
        : null,
    maps,
  });

  const dspamFile = first(files, "dspam-conf");
  const dspamConf = dspamFile ? parseDspamConf(dspamFile.text, dspamFile.path) : null;
  if (dspamConf && dspamFile) note(dspamFile.path, dspamConf.problems);

  const dovecotFiles = files.filter((f) => f.kind === "dovecot-conf");
  const dovecotMain =
    dovecotFiles.find((f) => path.basename(f.path) === "dovecot.conf") ??
    dovecotFiles[0] ??
    first(files, "doveconf-n");
  const dovecotConf = dovecotMain
    ? parseDovecotConf(dovecotMain.text, dovecotMain.path, includeResolver(files))
    : null;
  if (dovecotConf) for (const p of dovecotConf.problems) problems.push(p);
  for (const f of files.filter((f) => f.kind === "doveconf-n" && f !== dovecotMain))
    setAside.push({ file: f.path, reason: `Dovecot's settings are read from ${dovecotMain?.path}` });
  const sieves = files
    .filter((f) => f.kind === "sieve")
    .map((f) => ({ ...parseSieve(f.text, f.path), file: f.path }));

  const path_ = buildMailPath(
    postfix,
    dspamConf && dspamFile ? buildDspamModel(dspamConf, dspamFile.path) : null,
    dovecotConf && dovecotMain
      ? buildDovecotModel(dovecotConf, dovecotMain.path, lineCount(dovecotMain.text), sieves)
      : null,
  );
  const rspamdConfig = loadRspamd(files);
  if (rspamdConfig) {
    problems.push(...rspamdConfig.problems);
    const dump = files.find((f) => f.kind === "rspamd-configdump");
    if (dump && rspamdConfig.source === "files")
      setAside.push({ file: dump.path, reason: "Rspamd's settings are read from its configuration files" });
  }
  const rspamd = rspamdConfig
    ? buildRspamdModel(
        rspamdConfig,
        files.map((f) => f.path),
      )
    : null;
  const lines: FileLines = new Map(files.map((f) => [f.path, f.text.split(/\r?\n/)]));
  return { ...path_, files: lines, problems, setAside, rspamd, learnScripts: readLearnScripts(files) };
}

/** A configured path (`/etc/postfix/virtual`) matches a file given (`/srv/copy/etc/postfix/virtual`) by its tail. */
export function matchesPath(given: string, configured: string): boolean {
  const a = given.split(/[\\/]+/).filter((p) => p !== "");
  const b = configured.split(/[\\/]+/).filter((p) => p !== "");
  if (b.length === 0) return false;
  const tail = Math.min(a.length, b.length);
  for (let i = 1; i <= tail; i++) if (a[a.length - i] !== b[b.length - i]) return false;
  return tail === b.length || tail === a.length;
}

/**
 * A copy that kept Postfix's directory but not its parents (`config/postfix/virtual` for
 * /etc/postfix/virtual): the one map source whose directory and name match.
 */
function nearMatch(files: ConfigFile[], configured: string): ConfigFile | undefined {
  const tail = configured
    .split(/[\\/]+/)
    .slice(-2)
    .join("/");
  const found = files.filter((f) => f.kind === "postfix-map" && f.path.endsWith(`/${tail}`));
  return found.length === 1 ? found[0] : undefined;
}

function includeResolver(files: ConfigFile[]): IncludeResolver {
  return (pattern, fromFile) => {
    const wanted = path.isAbsolute(pattern) ? pattern : path.join(path.dirname(fromFile), pattern);
    const regex = new RegExp(`${wanted.split("*").map(escapeRegex).join("[^/]*")}$`);
    const found = files
      .filter((f) => f.kind === "dovecot-conf" && f.path !== fromFile)
      .filter(
        (f) =>
          regex.test(f.path) ||
          (path.isAbsolute(pattern) && !pattern.includes("*") && matchesPath(f.path, pattern)),
      )
      .sort((a, b) => a.path.localeCompare(b.path));
    return found.length > 0 ? found.map((f) => ({ path: f.path, text: f.text })) : null;
  };
}

const escapeRegex = (s: string) => s.replace(/[.+?^${}()|[\]\\]/g, "\\$&");
