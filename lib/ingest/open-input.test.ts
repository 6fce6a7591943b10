import assert from "node:assert/strict";
import {
  appendFileSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { describe, test } from "node:test";
import { LAB_LOGS } from "../../tests/helpers/fixtures.ts";
import { tempDir } from "../../tests/helpers/temp-dir.ts";
import { fingerprintOf, openFile } from "./open-input.ts";

// A DSPAM user log of the lab (3 KiB) four times over: still read whole with its head (64 KiB).
const USER_LOG = readFileSync(
  path.join(LAB_LOGS, "var/spool/dspam/data/alice@example.com/alice@example.com.log"),
);

async function chunksOf(content: AsyncIterable<Buffer>): Promise<Buffer[]> {
  const chunks: Buffer[] = [];
  for await (const chunk of content) chunks.push(chunk);
  return chunks;
}

// Descriptors this process holds on a file: counting all of them failed once in CI (27 for 28), as
// the process opens and closes others of its own meanwhile.
function descriptorsOn(file: string): number {
  const target = realpathSync(file);
  return readdirSync("/proc/self/fd").filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === target;
    } catch {
      return false; // closed meanwhile (the listing's own descriptor, for one)
    }
  }).length;
}

describe("a small file whose head was let go", () => {
  const dir = tempDir("spamtrail-open-");
  const copy = (name: string) => {
    const file = path.join(dir, name);
    writeFileSync(file, Buffer.concat([USER_LOG, USER_LOG, USER_LOG, USER_LOG]));
    return file;
  };

  test("is read from its file, in pieces of the read-ahead asked for, the same bytes as from its head", async () => {
    const file = copy("alice.log");
    const bytes = readFileSync(file);
    const input = await openFile(file);
    const fingerprint = fingerprintOf(input.head);
    assert.deepEqual(Buffer.concat(await chunksOf(input.read(0))), bytes);
    input.forgetHead();
    assert.equal(input.head.length, 0);
    assert.equal(fingerprint, fingerprintOf(bytes));
    let counted = 0;
    const chunks = await chunksOf(input.read(0, (n) => (counted += n), 1024));
    assert.deepEqual(Buffer.concat(chunks), bytes);
    assert.ok(chunks.length >= Math.ceil(bytes.length / 4096), `${chunks.length} pieces`);
    assert.ok(chunks.every((chunk) => chunk.length <= 4096));
    assert.equal(counted, bytes.length);
    // From the middle (a run resuming after the lines it stored), and no descriptor left open.
    assert.deepEqual(Buffer.concat(await chunksOf(input.read(1000))), bytes.subarray(1000));
    assert.equal(descriptorsOn(file), 0);
  });

  test("ends where the file ended when it was opened; shortened meanwhile, with what is left", async () => {
    const file = copy("grows.log");
    const bytes = readFileSync(file);
    const input = await openFile(file);
    input.forgetHead();
    appendFileSync(
      file,
      "1795318999\tS\tlate@example.net\t6b0261ff291101969669931\tLater\tDelivered\t<late@example.net>\n",
    );
    assert.deepEqual(Buffer.concat(await chunksOf(input.read(0))), bytes);
    truncateSync(file, 100);
    assert.deepEqual(Buffer.concat(await chunksOf(input.read(0))), bytes.subarray(0, 100));
  });

  test("read ahead piece by piece: a reader that stops early leaves no descriptor; a failed read is thrown to whoever asks for its piece", async () => {
    const file = copy("stops.log");
    const bytes = readFileSync(file);
    const input = await openFile(file);
    input.forgetHead();
    const early = input.read(0, undefined, 1024)[Symbol.asyncIterator]();
    const first = await early.next();
    assert.deepEqual(first.value, bytes.subarray(0, 1024));
    await early.return?.(undefined);
    // The piece read ahead closes its own descriptor once read.
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(descriptorsOn(file), 0);

    // Gone after its first piece: a piece read after that fails, thrown by the next() that wants it
    // (the one read ahead may still be served), not swallowed as the file's end.
    const gone = input.read(0, undefined, 1024)[Symbol.asyncIterator]();
    await gone.next();
    unlinkSync(file);
    await assert.rejects(async () => {
      while (!(await gone.next()).done);
    }, /ENOENT/);
  });
});
