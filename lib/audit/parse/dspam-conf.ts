import type { Location } from "../types.ts";
import { clip, type ParseProblem } from "./main-cf.ts";

export type DspamSetting = { key: string; value: string; loc: Location };
export type DspamConf = { settings: DspamSetting[]; problems: ParseProblem[] };

// `DeliveryHost		127.0.0.1` / `Preference "signatureLocation=headers"	# { message | headers }`
const LINE = /^([A-Za-z][A-Za-z0-9_.]*)(?:\s+(.*))?$/;

function stripComment(value: string): string {
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    if (value[i] === '"') quoted = !quoted;
    if (value[i] === "#" && !quoted) return value.slice(0, i);
  }
  return value;
}

/** Parses dspam.conf: `Key value` per line; keys may repeat (Trust, Preference, AllowOverride). */
export function parseDspamConf(text: string, file: string): DspamConf {
  const settings: DspamSetting[] = [];
  const problems: ParseProblem[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const match = LINE.exec(line);
    if (!match?.[1]) {
      problems.push({ line: index + 1, reason: `not a "Key value" line: ${clip(line)}` });
      return;
    }
    const value = stripComment(match[2] ?? "")
      .trim()
      .replace(/^"(.*)"$/, "$1");
    settings.push({ key: match[1], value, loc: { file, line: index + 1, endLine: index + 1 } });
  });
  return { settings, problems };
}

/** The last value of a key (case-insensitive, as DSPAM reads them). */
export function dspamValue(conf: DspamConf, key: string): DspamSetting | undefined {
  return conf.settings.findLast((s) => s.key.toLowerCase() === key.toLowerCase());
}

/** A `Preference "name=value"` default. */
export function dspamPreference(conf: DspamConf, name: string): DspamSetting | undefined {
  return conf.settings.findLast(
    (s) => s.key.toLowerCase() === "preference" && s.value.toLowerCase().startsWith(`${name.toLowerCase()}=`),
  );
}
