// npm run bench -- NAME [OPTIONS]
// Runs the bench tests/bench/NAME.ts with the options that follow its name, e.g.
// `npm run bench -- follow --seconds 20`; without a name it lists the benches.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { constants } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

const BENCHES: Record<string, string> = {
  follow: "lag from a line appended to it visible in the database at a steady rate; CPU use of idle follow",
  ingest: "raw and full ingest of a generated log (beside pflogsumm when installed)",
  parse: "parse-only speed of a generated maillog",
  web: "dashboard response times on a database built from a generated log",
};

const here = path.dirname(fileURLToPath(import.meta.url));
const [name, ...rest] = process.argv.slice(2);

function list(write: (text: string) => void): void {
  write(
    "usage: npm run bench -- NAME [OPTIONS]   (options: see the comment at the top of tests/bench/NAME.ts)\n",
  );
  write("benches:\n");
  for (const [bench, summary] of Object.entries(BENCHES)) write(`  ${bench.padEnd(8)} ${summary}\n`);
}

if (name === "--help" || name === "-h") {
  list((text) => process.stdout.write(text));
  process.exit(0);
}
if (name === undefined) {
  list((text) => process.stderr.write(text));
  process.exit(2);
}
const file = path.join(here, `${name}.ts`);
if (!Object.hasOwn(BENCHES, name) || !existsSync(file)) {
  process.stderr.write(`unknown bench '${name}'\n`);
  list((text) => process.stderr.write(text));
  process.exit(2);
}

const child = spawn(process.execPath, ["--import", "tsx", file, ...rest], { stdio: "inherit" });
// Signals sent to this process alone (not to the terminal's process group) reach the bench too.
for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.on(signal, () => {
    child.kill(signal);
  });
child.on("error", (error) => {
  process.stderr.write(`could not run ${file}: ${error.message}\n`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  process.exit(code ?? 128 + (signal ? constants.signals[signal] : 1));
});
