// How `spamtrail` loads its TypeScript: compiled once to JavaScript (esbuild, into
// node_modules/.cache/spamtrail-cli, or SPAMTRAIL_CLI_CACHE), and run from there while every file it
// was compiled from is unchanged. Through tsx, every process (and its write thread) also ran tsx's
// module-loader thread with the compiler loaded: 40-55 MiB more memory (a 1M-line ingest peaked at
// 273-286 MiB instead of 227-232). Where the compiled copy is out of date and cannot be written (a
// read-only checkout, SPAMTRAIL_CLI_CACHE not set elsewhere), the TypeScript runs through tsx as before.
// Plain JavaScript: it runs before anything can load TypeScript.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

/** The checkout: two levels above this file (also lib/cli/postinstall.mjs's). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
// The CLI and its write thread (lib/store/batch-writers.ts starts ./write-worker.mjs beside the code
// that starts it: the compiled entry here, lib/store/write-worker.mjs in the checkout).
const ENTRIES = { cli: "lib/cli/main.ts", "write-worker": "lib/store/write-worker.ts" };
// What the compilation depends on besides the sources esbuild reports.
const SETTINGS = ["package.json", "tsconfig.json"];
// Changes when the compilation's options below, or what the manifest records, do: older copies
// are compiled again.
const FORMAT = 2;
// Copies kept besides the current one: a process started from an older one may still load from it.
const KEEP_OLDER = 2;

/** Where compiled copies are kept. */
export function cacheDir(env = process.env) {
  return env.SPAMTRAIL_CLI_CACHE || path.join(ROOT, "node_modules", ".cache", "spamtrail-cli");
}

/** The directory of an up-to-date compiled copy, or null. */
export function currentBuild(dir = cacheDir()) {
  let manifest;
  try {
    manifest = JSON.parse(readFileSync(path.join(dir, "manifest.json"), "utf8"));
  } catch {
    return null;
  }
  // A checkout moved elsewhere: its path is written in the compiled code.
  if (manifest.format !== FORMAT || manifest.checkout !== ROOT) return null;
  for (const [file, [size, mtimeMs]] of Object.entries(manifest.inputs)) {
    let now;
    try {
      now = sizeAndTime(file);
    } catch {
      return null;
    }
    if (now[0] !== size || !sameTime(now[1], mtimeMs)) return null;
  }
  const build = path.join(dir, manifest.build);
  return existsSync(path.join(build, "cli.mjs")) ? build : null;
}

/**
 * Compiles the CLI into a new directory of `dir` and returns it. Processes compiling at the same
 * time each use their own copy; the manifest names the last one written.
 */
export async function compileCli(dir = cacheDir()) {
  const { build } = await import("esbuild");
  mkdirSync(dir, { recursive: true });
  // The compiled code imports the packages by name: outside the checkout they are found through a
  // link to its node_modules (inside, they are found as from any of its files).
  const modules = path.join(dir, "node_modules");
  if (path.relative(ROOT, dir).startsWith("..") && !existsSync(modules)) {
    try {
      symlinkSync(path.join(ROOT, "node_modules"), modules, "dir");
    } catch (error) {
      // Another process compiling at the same time made it.
      if (error?.code !== "EEXIST") throw error;
    }
  }
  const name = `build-${Date.now().toString(36)}-${process.pid}`;
  const outdir = path.join(dir, name);
  const before = sourceTimes();
  const started = Date.now();
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: ENTRIES,
    outdir,
    entryNames: "[name]",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    splitting: true,
    format: "esm",
    platform: "node",
    target: "node20",
    packages: "external",
    keepNames: true,
    define: { __SPAMTRAIL_CHECKOUT__: JSON.stringify(ROOT) },
    metafile: true,
    logLevel: "silent",
  });
  const finished = Date.now();
  const inputs = {};
  let changedMeanwhile = false;
  for (const file of [...Object.keys(result.metafile.inputs), ...SETTINGS]) {
    inputs[file] = sizeAndTime(file);
    if (savedDuringCompile(before.get(file), inputs[file], started, finished)) changedMeanwhile = true;
  }
  if (!changedMeanwhile) {
    const written = path.join(dir, `manifest.${name}.json`);
    writeFileSync(written, JSON.stringify({ format: FORMAT, checkout: ROOT, build: name, inputs }));
    renameSync(written, path.join(dir, "manifest.json"));
  }
  removeOlderBuilds(dir, name);
  return outdir;
}

// Where the sources are: their size and time are taken before a compile, to tell a file saved
// during it from one saved just before (npm install generates the Prisma clients, then compiles).
const SOURCE_DIRS = ["lib", "generated"];

function sourceTimes() {
  const times = new Map();
  const walk = (relative) => {
    for (const entry of readdirSync(path.join(ROOT, relative), { withFileTypes: true })) {
      const file = path.join(relative, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (entry.isFile()) times.set(file, sizeAndTime(file));
    }
  };
  for (const dir of SOURCE_DIRS) if (existsSync(path.join(ROOT, dir))) walk(dir);
  for (const file of SETTINGS) times.set(file, sizeAndTime(file));
  return times;
}

function sizeAndTime(file) {
  const info = statSync(path.join(ROOT, file));
  return [info.size, info.mtimeMs];
}

/**
 * A source's time as recorded, give or take what a tool that puts a file back as it was changes
 * of it: through a Date it loses the part below the millisecond, and a little more on its way to
 * the file system as a binary fraction of a second (the dashboard's test build puts back the
 * tsconfig.json that next build rewrites).
 */
export function sameTime(now, recorded) {
  return Math.abs(now - recorded) < 2;
}

/**
 * Whether a source may have been saved while it was being compiled, so that the copy may hold it
 * as it was before: then the copy is not recorded as current, and the next run compiles again.
 * Known before the compile: saved meanwhile if its size or time changed. Not known (a file outside
 * lib/ and generated/): if its time falls within the compile, give or take the second a file
 * system's times may be coarse by (a time in the future is a clock's, not a save's).
 */
export function savedDuringCompile(before, after, started, finished) {
  if (before) return before[0] !== after[0] || before[1] !== after[1];
  return after[1] >= started - 1000 && after[1] <= finished + 1000;
}

function removeOlderBuilds(dir, keep) {
  const older = readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && entry.name.startsWith("build-") && entry.name !== keep)
    .map((entry) => ({ name: entry.name, mtimeMs: statSync(path.join(dir, entry.name)).mtimeMs }))
    .sort((a, b) => b.mtimeMs - a.mtimeMs);
  for (const { name } of older.slice(KEEP_OLDER))
    rmSync(path.join(dir, name), { recursive: true, force: true });
}

/** The CLI's module (lib/cli/main.ts): compiled, or through tsx when no compiled copy can be had. */
export async function loadCli(env = process.env) {
  const dir = cacheDir(env);
  let build = currentBuild(dir);
  let reason = null;
  if (!build) {
    try {
      build = await compileCli(dir);
    } catch (error) {
      reason = error instanceof Error ? error.message.split("\n", 1)[0] : String(error);
    }
  }
  if (build) return import(pathToFileURL(path.join(build, "cli.mjs")).href);
  process.stderr.write(
    `spamtrail: running through tsx (more memory): the compiled CLI in ${dir} is out of date and could not be compiled again (${reason})\n`,
  );
  const { register } = await import("tsx/esm/api");
  register();
  return import("./main.ts");
}
