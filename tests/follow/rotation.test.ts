import assert from "node:assert/strict";
import { copyFileSync, readFileSync, renameSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { describe, test } from "node:test";
import { gzipSync } from "node:zlib";
import type { Db } from "../../lib/db/connection.ts";
import { follow } from "../../lib/ingest/follow/follow.ts";
import { tempDatabase } from "../helpers/temp-db.ts";
import { assertSameAsBatch, assertStoredExactly, lineCount, waitFor } from "./check.ts";
import { append, type Entry, expectedLines, labFeed } from "./lab-feed.ts";
import { logTree, TEST_OPTIONS } from "./options.ts";

const MAIL = "var/log/mail.log";
const feed = labFeed();
/** The feed cut at fractions of its length. */
const cut = (...fractions: number[]) => {
  const bounds = [0, ...fractions.map((f) => Math.floor(feed.length * f)), feed.length];
  return bounds.slice(1).map((end, i) => feed.slice(bounds[i], end));
};
const toOld = (file: string) => (file === MAIL ? `${MAIL}.1` : file);
/** Follow's options, with its log kept for assertions. */
const withLog = () => {
  const log: string[] = [];
  return { log, options: { ...TEST_OPTIONS, log: (message: string) => log.push(message) } };
};
const gzip = (file: string) => {
  writeFileSync(`${file}.gz`, gzipSync(readFileSync(file)));
  rmSync(file);
};

/** Writes entries and waits until the store holds everything written so far. */
async function writeAndWait(
  db: Db,
  root: string,
  written: Entry[],
  entries: Entry[],
  redirect?: (f: string) => string,
) {
  append(root, entries, redirect);
  written.push(...entries);
  const want = expectedLines(written);
  await waitFor(() => lineCount(db) === want, `${want} lines stored`);
}

describe("rotation while following", () => {
  test("rename (create): lines written to the old file after the rename, even after the new file has lines, are stored", async () => {
    const tree = logTree();
    const { db } = tempDatabase();
    const { log, options } = withLog();
    const handle = await follow(db, tree.follow, options);
    const [before, late, fresh, rest] = cut(0.4, 0.55, 0.6);
    const written: Entry[] = [];
    await writeAndWait(db, tree.root, written, before as Entry[]);
    renameSync(tree.mailLog, `${tree.mailLog}.1`);
    // The writer has not reopened yet: its lines still go to the renamed file.
    await writeAndWait(db, tree.root, written, late as Entry[], toOld);
    await writeAndWait(db, tree.root, written, fresh as Entry[]);
    // One more line to the old file after the new one has lines (a writer that reopened late).
    const [veryLate, ...others] = (rest as Entry[]).filter((e) => e.file === MAIL);
    await writeAndWait(db, tree.root, written, [veryLate as Entry], toOld);
    await writeAndWait(
      db,
      tree.root,
      written,
      (rest as Entry[]).filter((e) => e !== veryLate),
    );
    assert.ok(others.length > 0);
    await handle.stop();
    assert.ok(log.some((m) => m.endsWith("mail.log: rotated, following the new file")));
    assert.ok(
      log.some((m) => m.endsWith("mail.log.1: 1 line(s) written after the rotation read")),
      log.join("\n"),
    );
    assertStoredExactly(db, written);
    await assertSameAsBatch(db, tree.root);
  });

  test("copytruncate: lines written between the last read and the copy are read from the copy", async () => {
    const tree = logTree();
    const { db } = tempDatabase();
    const { log, options } = withLog();
    const handle = await follow(db, tree.follow, options);
    const [before, unread, after] = cut(0.4, 0.6);
    const written: Entry[] = [];
    await writeAndWait(db, tree.root, written, before as Entry[]);
    // In one go, before the follower can read: new lines, then logrotate's copy and truncate.
    append(tree.root, unread as Entry[]);
    copyFileSync(tree.mailLog, `${tree.mailLog}.1`);
    truncateSync(tree.mailLog, 0);
    written.push(...(unread as Entry[]));
    await waitFor(() => lineCount(db) === expectedLines(written), "the unread lines, from the copy");
    await writeAndWait(db, tree.root, written, after as Entry[]);
    await handle.stop();
    const unreadMail = (unread as Entry[]).filter((e) => e.file === MAIL).length;
    assert.ok(log.includes(`${tree.mailLog}: truncated, following the new file`));
    assert.ok(
      log.includes(`${tree.mailLog}: ${unreadMail} line(s) left in ${tree.mailLog}.1 read`),
      log.join("\n"),
    );
    assertStoredExactly(db, written);
    await assertSameAsBatch(db, tree.root);
  });

  test("compressed at rotation (no delaycompress): every line stored once", async () => {
    const tree = logTree();
    const { db } = tempDatabase();
    const handle = await follow(db, tree.follow, TEST_OPTIONS);
    const [before, unread, after] = cut(0.3, 0.5);
    const written: Entry[] = [];
    await writeAndWait(db, tree.root, written, before as Entry[]);
    append(tree.root, unread as Entry[]);
    renameSync(tree.mailLog, `${tree.mailLog}.1`);
    gzip(`${tree.mailLog}.1`);
    written.push(...(unread as Entry[]));
    await writeAndWait(db, tree.root, written, after as Entry[]);
    await handle.stop();
    assertStoredExactly(db, written);
    await assertSameAsBatch(db, tree.root);
  });
});

describe("rotation while follow was stopped", () => {
  test("the rotated file still holds the unread tail: it is finished first, then the new file", async () => {
    const tree = logTree();
    const { db } = tempDatabase();
    const [before, unread, after, last] = cut(0.3, 0.5, 0.8);
    const written: Entry[] = [];
    let handle = await follow(db, tree.follow, TEST_OPTIONS);
    await writeAndWait(db, tree.root, written, before as Entry[]);
    await handle.stop();
    append(tree.root, unread as Entry[]);
    renameSync(tree.mailLog, `${tree.mailLog}.1`);
    append(tree.root, after as Entry[]);
    written.push(...(unread as Entry[]), ...(after as Entry[]));
    handle = await follow(db, tree.follow, TEST_OPTIONS);
    assert.equal(lineCount(db), expectedLines(written), "caught up before following");
    await writeAndWait(db, tree.root, written, last as Entry[]);
    await handle.stop();
    assertStoredExactly(db, written);
    await assertSameAsBatch(db, tree.root);
  });

  test("rotated twice and compressed: the unread tail in mail.log.2.gz, all of mail.log.1, then mail.log", async () => {
    const tree = logTree();
    const { db } = tempDatabase();
    const [before, unread, between, after] = cut(0.3, 0.45, 0.7);
    const written: Entry[] = [];
    let handle = await follow(db, tree.follow, TEST_OPTIONS);
    await writeAndWait(db, tree.root, written, before as Entry[]);
    await handle.stop();
    append(tree.root, unread as Entry[]);
    renameSync(tree.mailLog, `${tree.mailLog}.1`);
    append(tree.root, between as Entry[]);
    renameSync(`${tree.mailLog}.1`, `${tree.mailLog}.2`);
    gzip(`${tree.mailLog}.2`);
    renameSync(tree.mailLog, `${tree.mailLog}.1`);
    append(tree.root, after as Entry[]);
    written.push(...(unread as Entry[]), ...(between as Entry[]), ...(after as Entry[]));
    handle = await follow(db, tree.follow, TEST_OPTIONS);
    assert.equal(lineCount(db), expectedLines(written), "caught up before following");
    await handle.stop();
    assertStoredExactly(db, written);
    await assertSameAsBatch(db, tree.root);
  });
});
