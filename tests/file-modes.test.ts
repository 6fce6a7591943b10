// The database holds the administrator's password hash, sessions and mail logs: it, its -wal/-shm,
// the writer lock and its directory are private, whatever the umask; older files are tightened.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, mkdirSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { projectRoot } from "../lib/core/paths.ts";
import { openAppDatabase } from "../lib/db/open-app-database.ts";
import { acquireWriterLock } from "../lib/db/writer-lock.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const mode = (file: string) => (statSync(file).mode & 0o777).toString(8).padStart(4, "0");

function cli(args: string[]) {
  return spawnSync(process.execPath, [path.join("lib", "cli", "spamtrail.mjs"), ...args], {
    cwd: projectRoot(),
    encoding: "utf8",
  });
}

describe("file modes", () => {
  test("a new database, its -wal and -shm, the writer lock and the new directory are owner-only under umask 022", () => {
    const previous = process.umask(0o022);
    try {
      const dir = path.join(tempDir(), "data", "spamtrail");
      const file = path.join(dir, "spamtrail.db");
      const { db } = openAppDatabase(file);
      try {
        assert.equal(mode(dir), "0700");
        assert.equal(mode(path.dirname(dir)), "0700", "parents created with it");
        for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(mode(f), "0600", f);
        const release = acquireWriterLock(file, "test");
        assert.equal(mode(`${file}.writer.lock`), "0600");
        release();
      } finally {
        db.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  test("in a directory shared with a group on purpose (StateDirectoryMode=0750) the files are 0640", () => {
    const previous = process.umask(0o022);
    try {
      const dir = path.join(tempDir(), "state");
      mkdirSync(dir, { mode: 0o750 });
      chmodSync(dir, 0o750);
      const file = path.join(dir, "spamtrail.db");
      const { db } = openAppDatabase(file);
      try {
        assert.equal(mode(dir), "0750");
        for (const f of [file, `${file}-wal`, `${file}-shm`]) assert.equal(mode(f), "0640", f);
      } finally {
        db.close();
      }
    } finally {
      process.umask(previous);
    }
  });

  test("files and the directory an older version left world-readable are tightened at start, with a warning", () => {
    const dir = path.join(tempDir(), "data");
    mkdirSync(dir);
    const file = path.join(dir, "spamtrail.db");
    openAppDatabase(file).db.close();
    writeFileSync(`${file}.writer.lock`, "");
    writeFileSync(`${file}-wal`, "");
    chmodSync(dir, 0o755);
    for (const f of [file, `${file}-wal`, `${file}.writer.lock`]) chmodSync(f, 0o644);
    const run = cli(["migrate", "--db", file]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal(mode(dir), "0750");
    assert.equal(mode(file), "0640");
    assert.equal(mode(`${file}.writer.lock`), "0640");
    for (const f of [dir, file, `${file}.writer.lock`])
      assert.ok(
        run.stderr.includes(`spamtrail: ${f} was open to other users (mode 0`) &&
          run.stderr.includes("changed to 0"),
        `warning for ${f}: ${run.stderr}`,
      );
    const again = cli(["migrate", "--db", file]);
    assert.equal(again.stderr, "", "nothing to say the second time");
  });

  test("a shared directory (/tmp-like: sticky, world-writable) is left alone; the files in it are private", () => {
    const dir = path.join(tempDir(), "shared");
    mkdirSync(dir);
    chmodSync(dir, 0o1777);
    const file = path.join(dir, "x.db");
    const run = cli(["migrate", "--db", file]);
    assert.equal(run.status, 0, run.stderr);
    assert.equal((statSync(dir).mode & 0o7777).toString(8), "1777");
    assert.equal(mode(file), "0600");
    assert.ok(!existsSync(`${file}-wal`) || mode(`${file}-wal`) === "0600");
  });
});
