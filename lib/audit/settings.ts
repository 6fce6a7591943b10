import { createHash } from "node:crypto";
import type { AuditModel } from "./assemble.ts";
import { flatten } from "./rspamd/tree.ts";

/** The configuration as flat `where name → value` pairs: the same for a server's files and its postconf/doveconf dumps. */
export type EffectiveSettings = Record<string, string>;

/** Flattens what the audit read into stable keys (no file paths, so a copy of /etc hashes like /etc). */
export function effectiveSettings(model: AuditModel): EffectiveSettings {
  const out: EffectiveSettings = {};
  for (const [name, s] of model.postfix.main) out[`main.cf ${name}`] = s.value;
  for (const service of model.postfix.services) {
    if (service.command) out[`master.cf ${service.key}`] = [service.command, ...service.args].join(" ");
    for (const [name, o] of service.overrides) out[`master.cf ${service.key} -o ${name}`] = o.value;
  }
  for (const [path, map] of model.postfix.maps)
    for (const e of map.entries) out[`${path} ${e.key}`] = e.value;
  for (const s of model.dovecot?.conf.settings ?? [])
    out[`dovecot ${[...s.scope, s.key].join(" > ")}`] = s.value;
  if (model.dspam) {
    const byKey = new Map<string, string[]>();
    for (const s of model.dspam.conf.settings) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s.value]);
    for (const [key, values] of byKey) out[`dspam.conf ${key}`] = values.join("\n");
  }
  // Rspamd's merged settings (none without Rspamd: a DSPAM server's hash is what it was).
  if (model.rspamd) {
    const rspamd: Record<string, string> = {};
    flatten(model.rspamd.root, "", rspamd);
    for (const [key, value] of Object.entries(rspamd)) out[`rspamd ${key}`] = value;
  }
  return out;
}

/** NOTE: persisted (ConfigSnapshot.hash): sha256 over the sorted pairs. */
export function settingsHash(settings: EffectiveSettings): string {
  const hash = createHash("sha256");
  for (const key of Object.keys(settings).sort()) hash.update(`${key}\u0000${settings[key]}\u0001`);
  return hash.digest("hex");
}

export type SettingChange = { key: string; before: string | null; after: string | null };

/** What changed between two snapshots' settings, sorted by key. */
export function diffSettings(before: EffectiveSettings, after: EffectiveSettings): SettingChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
  return keys
    .filter((k) => before[k] !== after[k])
    .map((key) => ({ key, before: before[key] ?? null, after: after[key] ?? null }));
}

/** One change in words: `127.0.0.1:10026/inet -o receive_override_options: a → b`. */
export function describeChange(change: SettingChange): string {
  const where = change.key.replace(/^master\.cf /, "").replace(/^main\.cf /, "main.cf ");
  if (change.before === null) return `${where} = ${change.after} (added)`;
  if (change.after === null) return `${where} (removed; was ${change.before})`;
  return `${where}: ${change.before} → ${change.after}`;
}
