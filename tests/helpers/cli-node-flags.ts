import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../lib/core/paths.ts";

/** The CLI's entry: executed, its shebang line decides node's options. */
export const CLI_ENTRY = path.join(projectRoot(), "lib", "cli", "spamtrail.mjs");

/** What the CLI's shebang (`#!/usr/bin/env -S NAME=value … node …`) hands `env -S`. */
export function cliShebangWords(): string {
  const line = readFileSync(CLI_ENTRY, "utf8").split("\n", 1)[0] ?? "";
  if (!line.startsWith("#!/usr/bin/env -S "))
    throw new Error(`${CLI_ENTRY}: unexpected first line ${JSON.stringify(line)}`);
  return line.slice("#!/usr/bin/env -S ".length);
}

/** The CLI's shebang split: environment, then node's options. */
function shebang(): { env: Record<string, string>; flags: string[] } {
  const words = cliShebangWords();
  const match = /^((?:[A-Z_]+=\S+ )*)node((?: --?[\w-]+(?:=\S+)?)*)$/.exec(words);
  if (!match) throw new Error(`${CLI_ENTRY}: unexpected first line ${JSON.stringify(words)}`);
  const split = (text: string | undefined) => (text ?? "").split(" ").filter(Boolean);
  const env = Object.fromEntries(split(match[1]).map((word) => word.split("=", 2) as [string, string]));
  return { env, flags: split(match[2]) };
}

/** The node options `spamtrail` runs with, so that a benchmark's child measures ingest as the CLI runs it. */
export function cliNodeFlags(): string[] {
  return shebang().flags;
}

/** The environment `spamtrail`'s shebang gives node (glibc's malloc settings), for the same reason. */
export function cliNodeEnv(): Record<string, string> {
  return shebang().env;
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

/** A shipped systemd unit's Environment= settings (not its EnvironmentFile=). */
export function unitEnvironment(unit: string): Record<string, string> {
  const text = readFileSync(path.join(projectRoot(), "lib", "service", unit), "utf8");
  const settings = [...text.matchAll(/^Environment=(\w+)=(.*)$/gm)];
  return Object.fromEntries(settings.map((setting) => [setting[1] as string, setting[2] as string]));
}

/** The node options the follow service runs with (lib/service/spamtrail-follow.service): what bench:follow measures. */
export function followNodeFlags(): string[] {
  return unitExecStart("spamtrail-follow.service").flags;
}
