// What `npm install` runs after installing the packages: the Prisma clients (generated/), then the
// compiled CLI (lib/cli/compiled-cli.mjs). Each is made only when what it is made from changed,
// so running it again writes nothing. npm runs it again more often than one would think: the
// first `npx spamtrail` of each user in a checkout installs the checkout into npm's npx cache, and
// that runs this script in the checkout, which may be read-only for that user or in use by a
// running dashboard, follower or test.
// Plain JavaScript: it runs before anything can load TypeScript.
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { compileCli, currentBuild, ROOT } from "./compiled-cli.mjs";

const CLIENTS = [
  { schema: "prisma/schema.prisma", output: "generated/prisma" },
  { schema: "prisma/postgresql/schema.prisma", output: "generated/prisma-pg" },
];
// What a client is generated from besides its schema: the config prisma generate loads, and
// Prisma's version.
const ALSO = ["prisma.config.ts", "node_modules/prisma/package.json"];
const STAMP = ".generated-from";

/** The hash of what a client is generated from: written beside it, compared at the next install. */
function clientSource(schema) {
  const hash = createHash("sha256");
  for (const file of [schema, ...ALSO]) hash.update(`${file}\0`).update(readFileSync(path.join(ROOT, file)));
  return hash.digest("hex");
}

function generateClients() {
  for (const { schema, output } of CLIENTS) {
    const source = clientSource(schema);
    const stamp = path.join(ROOT, output, STAMP);
    if (existsSync(stamp) && readFileSync(stamp, "utf8") === source) continue;
    const prisma = path.join(ROOT, "node_modules", ".bin", "prisma");
    const run = spawnSync(prisma, ["generate", "--schema", schema], { cwd: ROOT, stdio: "inherit" });
    if (run.status !== 0)
      throw new Error(`prisma generate --schema ${schema} failed (${run.status ?? run.signal})`);
    writeFileSync(stamp, source);
  }
}

generateClients();
if (!currentBuild()) await compileCli();
