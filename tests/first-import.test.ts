// A first import into an empty database does not wait for the disk (lib/db/first-import.ts): a
// process killed during it loses nothing it handed over, and a file a stopped machine damaged is
// refused with what to do, instead of failing somewhere later.
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { closeSync, openSync, readSync, writeSync } from "node:fs";
import { after, describe, test } from "node:test";
import { projectRoot } from "../lib/core/paths.ts";
import { type Db, openDatabase } from "../lib/db/connection.ts";
import { deferIndexes, hasDeferredIndexes } from "../lib/db/deferred-indexes.ts";
import { migrate } from "../lib/db/migrate.ts";
import { ingestLogs } from "../lib/ingest/ingest-logs.ts";
import { outcome } from "./follow/check.ts";
import { CLI_ENTRY } from "./helpers/cli-node-flags.ts";
import { LAB_LOGS, LAB_YEAR } from "./helpers/fixtures.ts";
import { runKilledImport } from "./helpers/run-killed-import.ts";
import { storedLines } from "./helpers/stored-lines.ts";
import { tempDatabase } from "./helpers/temp-db.ts";

const lineCount = (db: Db) => db.prepare("SELECT count(*) FROM LineKey").pluck().get() as number;
const integrity = (db: Db) => db.pragma("integrity_check", { simple: true });
const DAMAGED =
  /is damaged \(.+\)\. A first import into it did not finish.*Delete the database and import the logs again/s;

/** Closes the database and changes, in its file, the first leaf page of a table or index. */
function changeFirstLeaf(db: Db, file: string, name: string, change: (page: Buffer) => void): void {
  const page = db
    .prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno LIMIT 1")
    .pluck()
    .get(name) as number;
  const pageSize = db.pragma("page_size", { simple: true }) as number;
  db.close();
  const bytes = Buffer.alloc(pageSize);
  const fd = openSync(file, "r+");
  try {
    readSync(fd, bytes, 0, pageSize, (page - 1) * pageSize);
    change(bytes);
    writeSync(fd, bytes, 0, pageSize, (page - 1) * pageSize);
  } finally {
    closeSync(fd);
  }
}

// Two kinds of damage: a page overwritten (SQLite's check itself fails on it), and an index whose
// entries no longer match its table (the check lists the rows).
const DAMAGE = {
  "a page overwritten": (db: Db, file: string) =>
    changeFirstLeaf(db, file, "Journey", (page) => page.fill(0xff, 0, 64)),
  "an index that does not match its table": (db: Db, file: string) =>
    // A letter of a Message-ID in the page's first cell (its content starts where the page header says).
    changeFirstLeaf(db, file, "Journey_messageId_idx", (page) => {
      const at = page.readUInt16BE(5) + 12;
      page[at] = page[at] === 0x5a ? 0x59 : 0x5a;
    }),
};

/** A database whose first import stopped half-way (its note says so), damaged. */
async function damagedDatabase(damage: keyof typeof DAMAGE): Promise<Db> {
  const { db, file } = tempDatabase();
  await ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR, writeThread: "main" });
  deferIndexes(db, Date.now());
  DAMAGE[damage](db, file);
  const reopened = openDatabase(file);
  after(() => reopened.close());
  return reopened;
}

describe("a first import does not wait for the disk", () => {
  test("killed (SIGKILL) while its write thread writes, the next import ends with what one import stores", async () => {
    const whole = tempDatabase();
    await ingestLogs(whole.db, [LAB_LOGS], { year: LAB_YEAR, writeThread: "worker", batchLines: 100 });

    const killed = tempDatabase();
    const child = runKilledImport(killed.file, 8, [LAB_LOGS]);
    assert.equal(child.signal, "SIGKILL", `${child.stdout}${child.stderr}`);
    const before = lineCount(killed.db);
    assert.ok(before > 0 && before < lineCount(whole.db), `${before} lines stored before the kill`);
    assert.ok(hasDeferredIndexes(killed.db), "the import's note that it deferred indexes is there");

    await ingestLogs(killed.db, [LAB_LOGS], { year: LAB_YEAR, writeThread: "worker", batchLines: 100 });
    assert.equal(integrity(killed.db), "ok");
    assert.equal(hasDeferredIndexes(killed.db), false);
    assert.deepEqual(storedLines(killed.db), storedLines(whole.db));
    assert.deepEqual(outcome(killed.db), outcome(whole.db));
  });

  for (const damage of Object.keys(DAMAGE) as (keyof typeof DAMAGE)[])
    test(`a file damaged during a first import (${damage}) is refused by the next import, with what to do`, async () => {
      const db = await damagedDatabase(damage);
      await assert.rejects(ingestLogs(db, [LAB_LOGS], { year: LAB_YEAR }), DAMAGED);
      assert.ok(hasDeferredIndexes(db), "nothing was built over the damage");
    });

  test("`spamtrail ingest` says so on stderr and exits 1", async () => {
    const db = await damagedDatabase("an index that does not match its table");
    const run = spawnSync(CLI_ENTRY, ["ingest", "--db", db.name, "--year", String(LAB_YEAR), LAB_LOGS], {
      cwd: projectRoot(),
      encoding: "utf8",
      timeout: 60_000,
    });
    assert.equal(run.status, 1, run.stderr);
    assert.match(run.stderr, /^spamtrail ingest: .*is damaged/);
    assert.match(run.stderr, DAMAGED);
    assert.doesNotMatch(run.stderr, /\n\s+at /, "no stack trace");
  });

  test("…and by a migration", async () => {
    const db = await damagedDatabase("an index that does not match its table");
    assert.throws(
      () =>
        migrate(db, [
          { name: "99991231000000_later", sql: Buffer.from(`CREATE TABLE "Later" ("id" INTEGER);`) },
        ]),
      DAMAGED,
    );
  });
});
