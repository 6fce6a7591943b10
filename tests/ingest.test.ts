import assert from "node:assert/strict";
import { appendFileSync, copyFileSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import { InputError } from "../lib/ingest/discover.ts";
import { ingest } from "../lib/ingest/ingest.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { lineCount, storedLines } from "./helpers/stored-lines.ts";
import { tempDatabase } from "./helpers/temp-db.ts";
import { tempDir } from "./helpers/temp-dir.ts";

const MAIL_LOG = path.join(LAB_LOGS, "var/log/mail.log");
const mailLines = readFileSync(MAIL_LOG, "utf8").split("\n").filter(Boolean);
const count = (db: ReturnType<typeof tempDatabase>["db"], sql: string, ...params: unknown[]) =>
  (db.prepare(sql).get(...params) as { n: number }).n;

describe("ingest of the lab sample", () => {
  const { db } = tempDatabase();

  test("stores every line once, with provenance; the RFC3339 copy and DSPAM's user logs add nothing new", async () => {
    const summary = await ingest(db, [LAB_LOGS], { year: LAB_YEAR });
    const systemLog = readFileSync(path.join(LAB_LOGS, "var/spool/dspam/system.log"), "utf8")
      .split("\n")
      .filter(Boolean);
    const syslog = readFileSync(path.join(LAB_LOGS, "var/log/syslog"), "utf8").split("\n").filter(Boolean);
    assert.equal(summary.totals.fresh, mailLines.length + syslog.length + systemLog.length);
    const lines = storedLines(db);
    assert.equal(lines.filter((l) => l.event === "dspam.record").length, systemLog.length);
    const rfc = summary.files.find((f) => f.path.endsWith("mail.rfc3339.log"));
    assert.equal(rfc?.fresh, 0);
    assert.equal(rfc?.known, mailLines.length);

    const line = lines.find((l) => l.text.includes("40B5C166611: message-id="));
    assert.ok(line);
    const bytes = readFileSync(MAIL_LOG);
    assert.equal(bytes.subarray(line.byteOffset, bytes.indexOf(10, line.byteOffset)).toString(), line.text);
    assert.equal(mailLines[line.lineNo - 1], line.text);
    assert.equal(line.path, MAIL_LOG);
    assert.equal(new Date(line.ts as number).toISOString(), new Date(2026, 10, 22, 3, 26, 56).toISOString());
    assert.equal(line.event, "postfix.message-id");
    // Stored in compressed blocks of many lines, not a row per line.
    const blocks = db.prepare("SELECT count(*) AS n, sum(compressed) AS z FROM LineBlock").get() as {
      n: number;
      z: number;
    };
    assert.ok(blocks.n < lines.length / 100 && blocks.z > 0, JSON.stringify(blocks));
  });

  test("a second run adds nothing and does not re-read what it stored", async () => {
    const before = lineCount(db);
    const summary = await ingest(db, [LAB_LOGS], { year: LAB_YEAR });
    assert.equal(summary.totals.fresh, 0);
    assert.equal(lineCount(db), before);
    assert.ok(summary.totals.skipped > mailLines.length, "resumed after the stored lines");
    assert.equal(summary.totals.read, 0, "resumed after the stored lines of every file");
  });

  test("per-program counts of a source are kept for the Sources page", () => {
    const rows = db
      .prepare(
        "SELECT p.program, p.lines FROM SourceProgram p JOIN Source s ON s.id = p.sourceId WHERE s.path = ?",
      )
      .all(MAIL_LOG) as { program: string; lines: number }[];
    const smtpd = mailLines.filter((l) => / postfix\/smtpd\[/.test(l)).length;
    assert.equal(rows.find((r) => r.program === "postfix/smtpd")?.lines, smtpd);
    assert.equal(
      rows.reduce((sum, r) => sum + r.lines, 0),
      mailLines.length,
    );
  });
});

describe("rotation", () => {
  test("appended lines, a rotated .gz copy and a new file: each line stored exactly once", async () => {
    const { db } = tempDatabase();
    const dir = tempDir();
    const log = path.join(dir, "mail.log");
    const half = Math.floor(mailLines.length / 2);
    writeFileSync(log, `${mailLines.slice(0, half).join("\n")}\n`);
    assert.equal((await ingest(db, [dir], { year: LAB_YEAR })).totals.fresh, half);

    appendFileSync(log, `${mailLines.slice(half, half + 100).join("\n")}\n`);
    assert.equal((await ingest(db, [dir], { year: LAB_YEAR })).totals.fresh, 100);

    renameSync(log, `${log}.1`);
    writeFileSync(`${log}.1.gz`, gzipSync(readFileSync(`${log}.1`)));
    writeFileSync(`${log}.1`, "");
    writeFileSync(log, `${mailLines.slice(half + 100).join("\n")}\n`);
    const summary = await ingest(db, [dir], { year: LAB_YEAR });
    assert.equal(summary.totals.fresh, mailLines.length - half - 100);
    assert.ok(summary.skipped.some((s) => s.path.endsWith("mail.log.1") && s.reason === "empty file"));
    assert.equal(lineCount(db), mailLines.length);
  });

  test("a different file at a known path is read from the start", async () => {
    const { db } = tempDatabase();
    const dir = tempDir();
    const log = path.join(dir, "mail.log");
    writeFileSync(log, `${mailLines.slice(0, 50).join("\n")}\n`);
    await ingest(db, [log], { year: LAB_YEAR });
    // Same first line, different content after it: the resume check notices.
    writeFileSync(log, `${[mailLines[0], ...mailLines.slice(200, 260)].join("\n")}\n`);
    const summary = await ingest(db, [log], { year: LAB_YEAR });
    assert.equal(summary.files[0]?.restarted, true);
    assert.equal(summary.totals.fresh, 60);
  });
});

describe("bad input loses nothing and stops nothing", () => {
  test("NUL bytes, invalid UTF-8, a 1 MB line, garbage and a truncated last line are stored and counted", async () => {
    const { db } = tempDatabase();
    const dir = tempDir();
    const file = path.join(dir, "mail.log");
    const content = Buffer.concat([
      Buffer.from(`${mailLines[0]}\n`),
      Buffer.alloc(300),
      Buffer.from(`${mailLines[1]}\n`),
      Buffer.from(`${mailLines[2]?.replace("localhost", "caf")}`),
      Buffer.from([0xe9, 0xff, 0x0a]),
      Buffer.from(`${mailLines[3]} ${"x".repeat(1024 * 1024)}\n`),
      Buffer.from("ir/)\n"),
      Buffer.from(mailLines[4]?.slice(0, 40) ?? ""),
    ]);
    writeFileSync(file, content);
    const summary = await ingest(db, [file], { year: LAB_YEAR });
    assert.equal(summary.totals.fresh, 6);
    // Parser coverage is tested beside the parsers; here only the repaired and unreadable lines count.
    const issues = db
      .prepare("SELECT reason FROM LineIssue WHERE reason <> 'unparsed' ORDER BY lineId")
      .all() as {
      reason: string;
    }[];
    assert.deepEqual(
      issues.map((i) => i.reason),
      ["nul-bytes", "invalid-utf8", "too-long", "unrecognised", "unterminated"],
    );

    // The writer finishes the last line: the cut version is replaced by the whole one.
    appendFileSync(file, `${mailLines[4]?.slice(40)}\n`);
    const again = await ingest(db, [file], { year: LAB_YEAR });
    assert.equal(again.totals.fresh, 1);
    assert.equal(storedLines(db).filter((l) => l.text === mailLines[4]).length, 1);
    assert.equal(count(db, "SELECT count(*) AS n FROM LineIssue WHERE reason = 'unterminated'"), 0);
    assert.equal(lineCount(db), 6);
  });

  test("a binary file given by mistake is reported and skipped; directories skip DSPAM's signature stores", async () => {
    const { db } = tempDatabase();
    const dir = tempDir();
    const binary = path.join(dir, "alice.css");
    writeFileSync(binary, Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    mkdirSync(path.join(dir, "alice.sig"));
    copyFileSync(MAIL_LOG, path.join(dir, "alice.sig", "6b02610c291101861615497.sig"));
    const summary = await ingest(db, [binary, dir], { year: LAB_YEAR });
    assert.deepEqual(
      summary.skipped.map((s) => [path.basename(s.path), s.reason]),
      [["alice.css", "binary file, not a log"]],
    );
    assert.equal(summary.totals.read, 0);
  });

  test("a missing PATH is a clear error before anything is read", async () => {
    const { db } = tempDatabase();
    await assert.rejects(ingest(db, [MAIL_LOG, "/nonexistent/mail.log"]), (error: unknown) => {
      assert.ok(error instanceof InputError);
      assert.equal(error.message, "/nonexistent/mail.log: no such file or directory");
      return true;
    });
    assert.equal(lineCount(db), 0);
  });

  test("stdin is read like a file and deduplicated against files", async () => {
    const { db } = tempDatabase();
    const text = `${mailLines.slice(0, 30).join("\n")}\n`;
    const first = await ingest(db, ["-"], { year: LAB_YEAR, stdin: Readable.from([Buffer.from(text)]) });
    assert.equal(first.totals.fresh, 30);
    const again = await ingest(db, ["-"], { year: LAB_YEAR, stdin: Readable.from([Buffer.from(text)]) });
    assert.equal(again.totals.fresh, 0);
    assert.equal(again.totals.known, 30);
  });
});

describe("one writer at a time", () => {
  test("a second ingest into the same database while one runs is refused with who holds it; a lock file of an older version is replaced", async () => {
    const { db, file } = tempDatabase();
    const { acquireWriterLock, WriterBusyError } = await import("../lib/db/writer-lock.ts");
    const release = acquireWriterLock(file, "spamtrail follow");
    await assert.rejects(ingestLogs(db, [MAIL_LOG], { year: LAB_YEAR }), (error: unknown) => {
      assert.ok(error instanceof WriterBusyError);
      assert.match((error as Error).message, /being written by spamtrail follow \(pid \d+/);
      return true;
    });
    release();
    writeFileSync(`${file}.writer.lock`, JSON.stringify({ pid: 2 ** 22 + 12345, what: "spamtrail ingest" }));
    const summary = await ingestLogs(db, [MAIL_LOG], { year: LAB_YEAR });
    assert.equal(summary.totals.fresh, mailLines.length);
  });
});
