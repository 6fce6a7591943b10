// The systemd units shipped in lib/service/: systemd accepts every line, and each starts a
// spamtrail command with options that command knows.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../lib/core/paths.ts";
import {
  CLI_ENTRY,
  cliNodeEnv,
  cliNodeFlags,
  cliShebangWords,
  followNodeFlags,
  unitEnvironment,
  unitExecStart,
} from "./helpers/cli-node-flags.ts";

const DIR = path.join(projectRoot(), "lib", "service");
const UNITS = readdirSync(DIR).filter((name) => name.endsWith(".service"));
const hasSystemd = spawnSync("systemd-analyze", ["--version"]).status === 0;

describe("systemd units", () => {
  test("the units are shipped", () => {
    assert.deepEqual(UNITS.sort(), [
      "spamtrail-follow-postgresql.service",
      "spamtrail-follow.service",
      "spamtrail-web.service",
    ]);
  });

  for (const unit of UNITS) {
    test(`${unit}: systemd-analyze verify reports nothing`, {
      skip: !hasSystemd && "systemd-analyze not installed",
    }, () => {
      const result = spawnSync("systemd-analyze", ["verify", path.join(DIR, unit)], { encoding: "utf8" });
      // Paths that exist only on a mail server (the checkout in /opt, the user) are not errors here.
      const problems = result.stderr
        .split("\n")
        .filter((line) => /Unknown|Failed to parse|ignoring|Invalid|Missing/i.test(line));
      assert.deepEqual(problems, []);
    });

    test(`${unit}: what it creates is private (UMask=0077, StateDirectoryMode=0750)`, () => {
      const text = readFileSync(path.join(DIR, unit), "utf8");
      assert.match(text, /^UMask=0077$/m);
      assert.match(text, /^StateDirectoryMode=0750$/m);
    });

    test(`${unit}: ExecStart runs a spamtrail command with options it knows`, () => {
      const { node, flags, args } = unitExecStart(unit);
      assert.equal(node, "/usr/bin/node");
      // node's options as the CLI's shebang gives them (the heap sizing that keeps memory flat); the
      // follow units add a smaller young generation, the same in both (bench:follow measures it).
      const follow = /^spamtrail-follow/.test(unit);
      assert.deepEqual(flags, follow ? followNodeFlags() : cliNodeFlags());
      const [cli, command, ...rest] = args;
      assert.equal(cli, "/opt/spamtrail/lib/cli/spamtrail.mjs");
      assert.equal(command, follow ? "follow" : "serve");
      const help = spawnSync(
        process.execPath,
        [path.join("lib", "cli", "spamtrail.mjs"), String(command), "--help"],
        {
          cwd: projectRoot(),
          encoding: "utf8",
        },
      );
      assert.equal(help.status, 0, help.stderr);
      for (const option of rest.filter((arg) => arg.startsWith("--")))
        assert.ok(help.stdout.includes(option), `${command} --help mentions ${option}`);
    });
  }

  for (const unit of UNITS)
    test(`${unit}: node gets the environment the CLI's first line gives it (glibc's malloc settings)`, () => {
      const wanted = cliNodeEnv();
      assert.ok(Object.keys(wanted).length > 0);
      const settings = unitEnvironment(unit);
      for (const [name, value] of Object.entries(wanted)) assert.equal(settings[name], value, name);
    });

  test("the follow units run node with the CLI's options and a young generation of 8 MiB", () => {
    assert.deepEqual(followNodeFlags(), [...cliNodeFlags(), "--max-semi-space-size=4"]);
  });

  test("executed directly, the CLI runs (its shebang gives node the same options)", () => {
    assert.ok(cliNodeFlags().length > 0);
    const help = spawnSync(CLI_ENTRY, ["--help"], { cwd: projectRoot(), encoding: "utf8" });
    assert.equal(help.status, 0, help.stderr);
    assert.match(help.stdout, /^Usage: spamtrail <command>/);
  });

  test("executed directly, node sees the environment the shebang sets", () => {
    // What env -S makes of the CLI's first line, with node's script replaced by one that prints its environment.
    const env = { ...process.env };
    for (const name of Object.keys(cliNodeEnv())) delete env[name];
    const printed = spawnSync(
      "/usr/bin/env",
      ["-S", cliShebangWords(), "-e", "console.log(JSON.stringify(process.env))"],
      {
        encoding: "utf8",
        env,
      },
    );
    assert.equal(printed.status, 0, printed.stderr);
    const seen = JSON.parse(printed.stdout) as Record<string, string>;
    for (const [name, value] of Object.entries(cliNodeEnv())) assert.equal(seen[name], value, name);
  });
});
