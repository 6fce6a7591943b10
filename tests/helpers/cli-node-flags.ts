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
