import type { AuditModel } from "../assemble.ts";
import { appendLines, type Change, replaceSettingLine } from "../edits.ts";
import type { Listener } from "../model/mail-path.ts";
import { type Effective, effective } from "../model/postfix.ts";
import type { Location } from "../types.ts";
import { type RspamdModel, type RspamdSetting, reachesRspamd } from "./model.ts";

/** A model with Rspamd's configuration: the Rspamd checks run only then. */
export type WithRspamd = AuditModel & { rspamd: RspamdModel };

export const hasRspamd = (model: AuditModel): model is WithRspamd => model.rspamd !== null;

/** The milters a receiving service runs: `smtpd_milters` (its -o, else main.cf); pickup's mail gets `non_smtpd_milters`. */
export function miltersOf(model: AuditModel, l: Listener): Effective {
  return l.role === "pickup"
    ? effective(model.postfix, null, "non_smtpd_milters")
    : effective(model.postfix, l.service, "smtpd_milters");
}

/** Receiving services whose mail Rspamd scans (the filter's own reinjection excluded). */
export const scannedListeners = (model: WithRspamd) =>
  model.listeners.filter(
    (l) => l.role !== "reinjection" && reachesRspamd(miltersOf(model, l).value, model.rspamd.milterSockets),
  );

/** Lines of a file as given (0 for a file the fix creates). */
export function fileLength(model: AuditModel, file: string): number {
  const lines = model.files.get(file);
  if (!lines) return 0;
  return lines.at(-1) === "" ? lines.length - 1 : lines.length;
}

/** Where a result points: the setting's line, else the file a fix writes. */
export const at = (loc: Location | null, file: string | null) => ({
  file: loc?.file ?? file,
  line: loc?.line ?? null,
});

/** Sets a UCL setting: rewrites its line where it is, or appends it to the local.d file. */
export function setRspamd(
  model: WithRspamd,
  current: RspamdSetting | null,
  file: string | null,
  name: string,
  value: string,
): Change {
  const text = `${name} = ${value};`;
  if (current?.loc && !current.loc.file.endsWith("configdump.txt") && model.files.has(current.loc.file))
    return replaceSettingLine(model.files, current.loc, text);
  const target = file ?? "/etc/rspamd/local.d/classifier-bayes.conf";
  return { ...appendLines(target, fileLength(model, target), [text]), lines: [`# ${target}`, text] };
}

/** Appends a rule to local.d/settings.conf (made when missing). */
export function addSettingsRule(model: WithRspamd, rule: string[]): Change {
  const file = model.rspamd.settingsFile ?? "/etc/rspamd/local.d/settings.conf";
  const change = appendLines(file, fileLength(model, file), rule);
  return { ...change, lines: [`# ${file}`, ...rule] };
}

/** The settings rule's `apply`: Bayes left out and no tagging; reject stays for mail that is plainly spam. */
export const TRUSTED_APPLY = [
  "  apply {",
  '    symbols_disabled = ["BAYES_SPAM", "BAYES_HAM"];',
  "    actions {",
  '      "add header" = null;',
  '      "rewrite subject" = null;',
  "      greylist = null;",
  "    }",
  "  }",
];
