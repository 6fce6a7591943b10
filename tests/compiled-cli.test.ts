import assert from "node:assert/strict";
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  utimesSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { sameTime, savedDuringCompile } from "../lib/cli/compiled-cli.mjs";
import { projectRoot } from "../lib/core/paths.ts";
import { CLI_ENTRY } from "./helpers/cli-node-flags.ts";
import { LAB_LOGS } from "./helpers/fixtures.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const MAIL_LOG = path.join(LAB_LOGS, "var/log/mail.log");

type Manifest = { format: number; build: string; inputs: Record<string, [number, number]> };

/** `spamtrail ARGS` executed as a user runs it, its compiled copies kept in `cache`; it runs compiled (nothing on stderr). */
function spamtrail(cache: string, ...args: string[]) {
  const run = spawnSync(CLI_ENTRY, args, {
    encoding: "utf8",
    env: { ...process.env, SPAMTRAIL_CLI_CACHE: cache, SPAMTRAIL_TZ: "UTC" },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, "");
  return run;
}

const manifestOf = (cache: string) =>
  JSON.parse(readFileSync(path.join(cache, "manifest.json"), "utf8")) as Manifest;
const builds = (cache: string) => readdirSync(cache).filter((name) => name.startsWith("build-"));

describe("the CLI runs compiled", () => {
  const cache = path.join(tempDir("spamtrail-cli-cache-"), "cache");

  test("a first run compiles it, from the sources it reads, and says nothing about it", () => {
    spamtrail(cache, "parse", MAIL_LOG);
    const manifest = manifestOf(cache);
    assert.deepEqual(builds(cache), [manifest.build]);
    const files = readdirSync(path.join(cache, manifest.build));
    assert.ok(files.includes("cli.mjs") && files.includes("write-worker.mjs"), files.join(" "));
    for (const source of ["lib/cli/main.ts", "lib/store/write-worker.ts", "lib/parsers/index.ts"])
      assert.ok(source in manifest.inputs, `${source} is one of its inputs`);
  });

  test("a later run uses the compiled copy while its sources are unchanged, and prints the same", () => {
    const before = manifestOf(cache);
    const compiled = spamtrail(cache, "parse", MAIL_LOG);
    assert.deepEqual(manifestOf(cache), before);
    assert.deepEqual(builds(cache), [before.build]);
    const throughTsx = spawnSync(CLI_ENTRY, ["parse", MAIL_LOG], {
      encoding: "utf8",
      env: {
        ...process.env,
        SPAMTRAIL_CLI_CACHE: path.join(MAIL_LOG, "not-a-directory"),
        SPAMTRAIL_TZ: "UTC",
      },
    });
    assert.equal(throughTsx.status, 0, throughTsx.stderr);
    assert.equal(compiled.stdout, throughTsx.stdout);
  });

  test("a source put back through a Date (its time to the millisecond) still counts as compiled", () => {
    // As the dashboard's test build puts back the tsconfig.json next build rewrites: a Date holds
    // no part of a millisecond.
    const before = manifestOf(cache);
    const file = path.join(projectRoot(), "tsconfig.json");
    const { atime, mtime } = statSync(file);
    utimesSync(file, atime, mtime);
    spamtrail(cache, "--help");
    assert.equal(manifestOf(cache).build, before.build);
  });

  test("a source that changed (size or time) makes the next run compile again", () => {
    const before = manifestOf(cache);
    // As if lib/parsers/index.ts had been saved after the copy was compiled.
    const stale = structuredClone(before);
    const [size, mtimeMs] = stale.inputs["lib/parsers/index.ts"] as [number, number];
    stale.inputs["lib/parsers/index.ts"] = [size, mtimeMs - 1000];
    writeFileSync(path.join(cache, "manifest.json"), JSON.stringify(stale));
    spamtrail(cache, "--help");
    const after = manifestOf(cache);
    assert.notEqual(after.build, before.build);
    assert.deepEqual(after.inputs["lib/parsers/index.ts"], before.inputs["lib/parsers/index.ts"]);
  });

  test("older copies are removed but for the two newest (a running process may still load from one)", () => {
    for (const [index, name] of ["build-a", "build-b", "build-c"].entries()) {
      mkdirSync(path.join(cache, name));
      const time = new Date(Date.now() - (index + 1) * 60_000);
      utimesSync(path.join(cache, name), time, time);
    }
    const stale = manifestOf(cache);
    stale.format = -1;
    writeFileSync(path.join(cache, "manifest.json"), JSON.stringify(stale));
    spamtrail(cache, "--help");
    const current = manifestOf(cache).build;
    const older = builds(cache).filter((name) => name !== current);
    assert.equal(older.length, 2, older.join(" "));
    assert.ok(!older.includes("build-c") && !older.includes("build-b"), "the oldest went first");
  });

  test("kept outside the checkout, it still finds the checkout (a relative DATABASE_URL is relative to it)", () => {
    const relative = path.join("tests", ".artifacts", "compiled-cli", `${process.pid}.db`);
    const elsewhere = tempDir("spamtrail-cli-cwd-");
    const run = spawnSync(CLI_ENTRY, ["migrate"], {
      cwd: elsewhere,
      encoding: "utf8",
      env: { ...process.env, SPAMTRAIL_CLI_CACHE: cache, DATABASE_URL: `file:${relative}` },
    });
    assert.equal(run.status, 0, run.stderr);
    assert.ok(existsSync(path.join(projectRoot(), relative)), "created in the checkout");
    assert.ok(!existsSync(path.join(elsewhere, relative)), "not in the working directory");
    rmSync(path.join(projectRoot(), relative), { force: true });
  });

  test("its write thread's entry loads on its own, beside the code that starts it", async () => {
    const build = path.join(cache, manifestOf(cache).build);
    const starters = readdirSync(build).filter((name) =>
      readFileSync(path.join(build, name), "utf8").includes('new URL("./write-worker.mjs", import.meta.url)'),
    );
    assert.equal(starters.length, 1, "one compiled file starts the write thread");
    const dbFile = path.join(tempDir("spamtrail-cli-worker-"), "worker.db");
    const spamtrailMigrate = spawnSync(CLI_ENTRY, ["migrate", "--db", dbFile], {
      encoding: "utf8",
      env: { ...process.env, SPAMTRAIL_CLI_CACHE: cache },
    });
    assert.equal(spamtrailMigrate.status, 0, spamtrailMigrate.stderr);
    const worker = new Worker(new URL("./write-worker.mjs", pathToFileURL(path.join(build, "x.mjs"))), {
      workerData: { file: dbFile },
    });
    const exited = new Promise<number>((resolve, reject) => {
      worker.once("exit", resolve);
      worker.once("error", reject);
    });
    // null ends the run: the thread closes its connection and stops.
    worker.postMessage(null);
    assert.equal(await exited, 0);
  });
});

test("processes starting at once (follow and serve after an upgrade) each compile, and each runs compiled", async () => {
  const cache = path.join(tempDir("spamtrail-cli-race-"), "cache");
  const runs = await Promise.all(
    [1, 2, 3].map(
      () =>
        new Promise<{ code: number | null; stderr: string }>((resolve) => {
          const child = spawn(CLI_ENTRY, ["--help"], { env: { ...process.env, SPAMTRAIL_CLI_CACHE: cache } });
          let stderr = "";
          child.stderr.on("data", (chunk) => {
            stderr += chunk;
          });
          child.on("close", (code) => resolve({ code, stderr }));
        }),
    ),
  );
  for (const run of runs) assert.deepEqual(run, { code: 0, stderr: "" });
  assert.ok(builds(cache).includes(manifestOf(cache).build));
});

test("a compiled copy that cannot be written runs the TypeScript through tsx, and says why", () => {
  const file = path.join(tempDir("spamtrail-cli-nocache-"), "a-file");
  writeFileSync(file, "");
  const run = spawnSync(CLI_ENTRY, ["--help"], {
    encoding: "utf8",
    env: { ...process.env, SPAMTRAIL_CLI_CACHE: path.join(file, "cache") },
  });
  assert.equal(run.status, 0, run.stderr);
  assert.match(run.stdout, /^Usage: spamtrail <command>/);
  assert.match(
    run.stderr,
    /^spamtrail: running through tsx \(more memory\): the compiled CLI in .*a-file\/cache is out of date and could not be compiled again \(ENOTDIR: not a directory, mkdir .*\)\n$/,
  );
});

test("a time put back through a Date is the time recorded; a time a save changes is not", () => {
  const second = 1_796_636_821_000;
  const recorded = second + 999.328;
  // What utimes(file, atime, stat.mtime) leaves: the Date's milliseconds, as a binary fraction.
  assert.ok(sameTime(second + 998.999999, recorded));
  assert.ok(sameTime(recorded, recorded));
  assert.ok(!sameTime(recorded + 1000, recorded));
  assert.ok(!sameTime(recorded - 5, recorded));
});

test("a source saved just before a compile still counts as compiled; one saved during it does not", () => {
  // npm install generates the Prisma clients, then compiles at once: those files are known (size
  // and time taken before the compile) and unchanged by its end.
  const started = 1_800_000_000_000;
  const finished = started + 400;
  const cases: [string, [number, number] | undefined, [number, number], boolean][] = [
    ["known, unchanged, saved 0.2 s before", [10, started - 200], [10, started - 200], false],
    ["known, its time changed", [10, started - 200], [10, started + 100], true],
    ["known, its size changed within the same time", [10, started + 100], [11, started + 100], true],
    ["not known before, its time within the compile", undefined, [10, started + 100], true],
    ["not known before, its time in the second before", undefined, [10, started - 900], true],
    ["not known before, saved long before", undefined, [10, started - 5000], false],
    ["not known before, a time in the future (a clock's)", undefined, [10, finished + 60_000], false],
  ];
  for (const [name, before, after, expected] of cases)
    assert.equal(savedDuringCompile(before, after, started, finished), expected, name);
});

test("npm install's script writes nothing when nothing changed (each user's first npx spamtrail runs it again)", () => {
  const root = projectRoot();
  const postinstall = () =>
    spawnSync(process.execPath, [path.join(root, "lib", "cli", "postinstall.mjs")], {
      cwd: root,
      encoding: "utf8",
    });
  const times = () => {
    const files = readdirSync(path.join(root, "generated"), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => path.join(entry.parentPath, entry.name));
    files.push(path.join(root, "node_modules", ".cache", "spamtrail-cli", "manifest.json"));
    return Object.fromEntries(files.map((file) => [file, statSync(file).mtimeMs]));
  };
  // The first run brings a checkout installed before this script up to date.
  const first = postinstall();
  assert.equal(first.status, 0, first.stderr);
  const before = times();
  const again = postinstall();
  assert.equal(again.status, 0, again.stderr);
  assert.equal(again.stdout + again.stderr, "");
  assert.deepEqual(times(), before);
});
