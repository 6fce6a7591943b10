import path from "node:path";
import { applyEdits } from "../../lib/audit/edits.ts";
import { readConfigPaths } from "../../lib/audit/read-config.ts";
import { runAudit } from "../../lib/audit/run-audit.ts";
import type { AuditResult, CheckId, ConfigEdit, ConfigFile } from "../../lib/audit/types.ts";
import { projectRoot } from "../../lib/core/paths.ts";
import { LAB } from "../helpers/fixtures.ts";

export const LAB_CONFIG = path.join(LAB, "config");
export const CONFIGS = path.join(projectRoot(), "tests", "fixtures", "config");

/** The lab server's own files (etc/ and dspam.conf). */
export const labFiles = () =>
  readConfigPaths([path.join(LAB_CONFIG, "etc"), path.join(LAB_CONFIG, "dspam")]).files;

/** The same server as `postconf -n/-M/-P` and `doveconf -n` saw it, plus the map sources and dspam.conf. */
export const labDumps = () =>
  readConfigPaths(
    [
      "postconf-n.txt",
      "postconf-M.txt",
      "postconf-P.txt",
      "doveconf-n.txt",
      "dspam",
      "etc/postfix/virtual",
      "etc/aliases",
    ].map((p) => path.join(LAB_CONFIG, p)),
  ).files;

/** The checks the lab server's configuration fails: every pitfall of the origin story. */
export const LAB_CHECKS: CheckId[] = [
  "alias-expansion-twice",
  "auth-on-port-25",
  "filter-on-authenticated",
  "filter-on-local",
  "filter-on-local",
  "forward-through-filter",
  "training-user-mismatch",
];

export const configDir = (name: string) => readConfigPaths([path.join(CONFIGS, name)]).files;

/** A variant of a configuration: each [file suffix, search, replacement] edits one file's text (search "" appends). */
export function variant(
  files: ConfigFile[],
  changes: [string, string, string][],
  extra: ConfigFile[] = [],
): ConfigFile[] {
  const out = files.map((f) => ({ ...f }));
  for (const [suffix, search, replacement] of changes) {
    const file = out.find((f) => f.path.endsWith(suffix));
    if (!file) throw new Error(`no file ending in ${suffix}`);
    if (search === "") file.text += replacement;
    else {
      if (!file.text.includes(search)) throw new Error(`${suffix} has no ${JSON.stringify(search)}`);
      file.text = file.text.replace(search, replacement);
    }
  }
  return [...out, ...extra];
}

/** The configuration after a fix's edits. */
export function applyFix(files: ConfigFile[], edits: ConfigEdit[]): ConfigFile[] {
  const texts = applyEdits(new Map(files.map((f) => [f.path, f.text])), edits);
  return files.map((f) => ({ ...f, text: texts.get(f.path) ?? f.text }));
}

/** What makes two audits "the same" whatever files they came from. */
export const essence = (r: AuditResult) =>
  [r.check, r.severity, r.service ?? "", r.setting ?? "", r.value ?? ""].join(" | ");

export const checksOf = (files: ConfigFile[]) => runAudit(files).results.map((r) => r.check);
