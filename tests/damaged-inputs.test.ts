// Broken inputs cost only themselves: a truncated or corrupt .gz keeps what could be read and says
// where the damage is, a FIFO is refused (never waited on), an unreadable subdirectory is skipped.
import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { projectRoot } from "../lib/core/paths.ts";
import { openDatabase } from "../lib/db/connection.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { storedLines } from "./helpers/stored-lines.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const MAIL_LOG = path.join(LAB_LOGS, "var/log/mail.log");
const SYSLOG = path.join(LAB_LOGS, "var/log/syslog");

/** Runs the CLI in a child process, killed after 30 s (a hang fails the test instead of holding it). */
function cli(args: string[], options: { uid?: number } = {}) {
  return spawnSync(process.execPath, [path.join("lib", "cli", "spamtrail.mjs"), ...args], {
    cwd: projectRoot(),
    encoding: "utf8",
    timeout: 30_000,
    ...(options.uid === undefined ? {} : { uid: options.uid, gid: options.uid }),
  });
}

function storedRaw(dbFile: string, source: string): string[] {
  const db = openDatabase(dbFile, { readonly: true });
  try {
    return storedLines(db)
      .filter((line) => line.path === source)
      .sort((a, b) => a.lineNo - b.lineNo)
      .map((line) => line.text);
  } finally {
    db.close();
  }
}

const lineCount = (text: string) => text.split("\n").filter((line) => line !== "").length;

describe("damaged compressed files", () => {
  test("a truncated .gz keeps every line zcat gets, says where it ends, and the files given with it are read", () => {
    const dir = tempDir();
    const truncated = path.join(dir, "mail.log.2.gz");
    const whole = gzipSync(readFileSync(MAIL_LOG));
    writeFileSync(truncated, whole.subarray(0, Math.floor(whole.length * 0.4)));
    const size = statSync(truncated).size;
    const db = path.join(dir, "x.db");
    const run = cli(["ingest", "--db", db, "--year", String(LAB_YEAR), truncated, SYSLOG]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `^damaged ${truncated}: unexpected end of file in the compressed data after byte ${size.toLocaleString("en-US")} of ${size.toLocaleString("en-US")}; the lines before it were read$`,
        "m",
      ),
    );
    // What zcat writes before it stops: complete lines, and the start of one cut off.
    const zcat = spawnSync("zcat", [truncated], { encoding: "utf8" });
    assert.notEqual(zcat.status, 0, "zcat sees the damage too");
    const complete = zcat.stdout.slice(0, zcat.stdout.lastIndexOf("\n"));
    const stored = storedRaw(db, truncated);
    assert.ok(lineCount(complete) > 100, `${lineCount(complete)} lines before the damage`);
    assert.deepEqual(stored.slice(0, lineCount(complete)), complete.split("\n"));
    assert.ok(stored.length <= lineCount(complete) + 1, "at most the cut-off line besides");
    assert.equal(storedRaw(db, SYSLOG).length, lineCount(readFileSync(SYSLOG, "utf8")), "syslog read whole");
  });

  test("a .gz broken from its first bytes is reported as damaged, not as an empty file", () => {
    const dir = tempDir();
    const broken = path.join(dir, "mail.log.3.gz");
    writeFileSync(
      broken,
      Buffer.concat([Buffer.from([0x1f, 0x8b]), Buffer.from("not deflate data ".repeat(40))]),
    );
    const run = cli(["ingest", "--db", path.join(dir, "x.db"), "--year", String(LAB_YEAR), broken, SYSLOG]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(
        `^skipped ${broken}: damaged, nothing readable: .+ in the compressed data after byte \\d+`,
        "m",
      ),
    );
    assert.doesNotMatch(run.stdout, /empty file/);
  });

  test("parse prints what it could read of a damaged .gz, then says where the damage is and exits 1", () => {
    const dir = tempDir();
    const truncated = path.join(dir, "syslog.1.gz");
    const whole = gzipSync(readFileSync(SYSLOG));
    writeFileSync(truncated, whole.subarray(0, whole.length - 30));
    const run = cli(["parse", "--year", String(LAB_YEAR), truncated]);
    assert.equal(run.status, 1);
    assert.ok(lineCount(run.stdout) > 10, run.stdout);
    assert.match(
      run.stderr,
      /^spamtrail parse: \S+syslog\.1\.gz: .+ in the compressed data after byte [\d,]+ of [\d,]+\n$/,
    );
  });
});

describe("files that are not regular files", () => {
  test("a FIFO given by name is refused at once in one line; in a directory it is skipped with a message", () => {
    const dir = tempDir();
    const logs = path.join(dir, "logs");
    mkdirSync(logs);
    const fifo = path.join(logs, "mail.fifo");
    execFileSync("mkfifo", [fifo]);
    copyFileSync(SYSLOG, path.join(logs, "syslog"));
    const named = cli(["ingest", "--db", path.join(dir, "a.db"), fifo]);
    assert.equal(named.status, 1, `exit ${named.status} ${named.signal ?? ""}: ${named.stderr}`);
    assert.equal(named.stderr, `spamtrail ingest: ${fifo}: a FIFO (named pipe), not a log file\n`);
    const parse = cli(["parse", fifo]);
    assert.equal(parse.status, 1, `parse: exit ${parse.status} ${parse.signal ?? ""}`);
    assert.match(parse.stderr, /a FIFO \(named pipe\), not a log file/);

    const walked = cli(["ingest", "--db", path.join(dir, "b.db"), "--year", String(LAB_YEAR), logs]);
    assert.equal(walked.status, 0, walked.stderr);
    assert.match(
      walked.stdout,
      new RegExp(`^skipped ${fifo}: a FIFO \\(named pipe\\), not a log file$`, "m"),
    );
    assert.equal(
      storedRaw(path.join(dir, "b.db"), path.join(logs, "syslog")).length,
      lineCount(readFileSync(SYSLOG, "utf8")),
    );
  });
});

describe("unreadable directories", () => {
  test("an unreadable subdirectory is skipped with a message and the rest is ingested", () => {
    // root reads any directory: the command runs as nobody then, in directories nobody may use.
    const asRoot = process.getuid?.() === 0;
    const dir = tempDir();
    chmodSync(dir, 0o755);
    const logs = path.join(dir, "logs");
    const closed = path.join(logs, "private");
    mkdirSync(closed, { recursive: true });
    copyFileSync(SYSLOG, path.join(logs, "syslog"));
    copyFileSync(MAIL_LOG, path.join(closed, "mail.log"));
    chmodSync(closed, 0o000);
    const data = path.join(dir, "data");
    mkdirSync(data, { mode: 0o777 });
    chmodSync(data, 0o777);
    for (const file of [logs, path.join(logs, "syslog")]) chmodSync(file, 0o755);
    const db = path.join(data, "x.db");
    const run = cli(["ingest", "--db", db, "--year", String(LAB_YEAR), logs], asRoot ? { uid: 65534 } : {});
    chmodSync(closed, 0o755);
    assert.equal(run.status, 0, run.stderr);
    assert.match(
      run.stdout,
      new RegExp(`^skipped ${closed}: directory not readable \\(permission denied\\)$`, "m"),
    );
    assert.equal(storedRaw(db, path.join(logs, "syslog")).length, lineCount(readFileSync(SYSLOG, "utf8")));
  });
});
