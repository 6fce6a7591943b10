import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

// The checkout, written in by lib/cli/compiled-cli.mjs: compiled code may be kept outside it
// (SPAMTRAIL_CLI_CACHE), where walking up from the code finds no package.json.
declare const __SPAMTRAIL_CHECKOUT__: string | undefined;

/** The checkout's root (where package.json lives), so the CLI and the server agree on defaults from any cwd. */
export function projectRoot(): string {
  if (typeof __SPAMTRAIL_CHECKOUT__ === "string") return __SPAMTRAIL_CHECKOUT__;
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!existsSync(path.join(dir, "package.json"))) {
    const parent = path.dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}
