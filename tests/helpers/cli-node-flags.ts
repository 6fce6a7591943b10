import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../lib/core/paths.ts";

/** The CLI's entry: executed, its shebang line decides node's options. */
export const CLI_ENTRY = path.join(projectRoot(), "lib", "cli", "spamtrail.mjs");

/**
 * The node options `spamtrail` runs with (its shebang, `#!/usr/bin/env -S node …`), so that a
 * benchmark's child measures ingest as the CLI runs it.
 */
export function cliNodeFlags(): string[] {
  const shebang = readFileSync(CLI_ENTRY, "utf8").split("\n", 1)[0] ?? "";
  const match = /^#!\/usr\/bin\/env -S node((?: --?[\w-]+(?:=\S+)?)*)$/.exec(shebang);
  if (!match) throw new Error(`${CLI_ENTRY}: unexpected first line ${JSON.stringify(shebang)}`);
  return (match[1] ?? "").split(" ").filter(Boolean);
}

/** A shipped systemd unit's ExecStart, split: node, node's options, then the CLI and its arguments. */
export function unitExecStart(unit: string): { node: string; flags: string[]; args: string[] } {
  const file = path.join(projectRoot(), "lib", "service", unit);
  const exec = readFileSync(file, "utf8").match(/^ExecStart=(.*)$/m)?.[1];
  if (!exec) throw new Error(`${file}: no ExecStart line`);
  const [node = "", ...words] = exec.split(/\s+/);
  const options = words.findIndex((word) => !word.startsWith("--"));
  const end = options === -1 ? words.length : options;
  return { node, flags: words.slice(0, end), args: words.slice(end) };
}

/** The node options the follow service runs with (lib/service/spamtrail-follow.service): what bench:follow measures. */
export function followNodeFlags(): string[] {
  return unitExecStart("spamtrail-follow.service").flags;
}
