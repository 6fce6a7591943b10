import assert from "node:assert/strict";
import { Readable } from "node:stream";
import { test } from "node:test";
import { type RawLine, readLines } from "./read-lines.ts";

async function all(chunks: (string | Buffer)[], options = {}): Promise<RawLine[]> {
  const out: RawLine[] = [];
  for await (const batch of readLines(
    Readable.from(chunks.map((c) => (typeof c === "string" ? Buffer.from(c) : c))),
    options,
  )) {
    out.push(...batch);
  }
  return out;
}

// Real line: lightmeter test_files/postfix_logs/individual_files/10_pickup.log
const REAL = "Feb  1 13:17:02 mail postfix/pickup[28541]: 08ACF1541B01: uid=0 from=<root>";

test("lines split across chunks keep their text and byte offsets", async () => {
  const text = `${REAL}\nsecond line\n`;
  const lines = await all([text.slice(0, 10), text.slice(10, 80), text.slice(80)]);
  assert.deepEqual(
    lines.map((l) => [l.lineNo, l.byteOffset, l.endOffset, l.text, l.terminated]),
    [
      [1, 0, REAL.length + 1, REAL, true],
      [2, REAL.length + 1, text.length, "second line", true],
    ],
  );
});

test("a last line without newline is returned as unterminated", async () => {
  const lines = await all([`${REAL}\n... DEFAULT=$HOME/Maild`]);
  assert.equal(lines.length, 2);
  assert.equal(lines[1]?.terminated, false);
  assert.equal(lines[1]?.text, "... DEFAULT=$HOME/Maild");
});

test("NUL bytes are removed and reported (lightmeter: leading NULs after a crash)", async () => {
  const [line] = await all([Buffer.concat([Buffer.alloc(5), Buffer.from(`${REAL}\n`)])]);
  assert.equal(line?.text, REAL);
  assert.equal(line?.issue?.reason, "nul-bytes");
  assert.equal(line?.byteOffset, 0);
  assert.equal(line?.endOffset, REAL.length + 6);
});

test("invalid UTF-8 is replaced and reported", async () => {
  const [line] = await all([Buffer.concat([Buffer.from("subject=caf"), Buffer.from([0xe9, 0x0a])])]);
  assert.equal(line?.text, "subject=caf\uFFFD");
  assert.equal(line?.issue?.reason, "invalid-utf8");
});

test("valid UTF-8 (umlauts, emoji) is not reported", async () => {
  const [line] = await all(["subject=Jürgen 🎉\n"]);
  assert.equal(line?.issue, undefined);
});

test("a 1 MB line is cut, reported, and the next line is intact", async () => {
  const huge = "x".repeat(1024 * 1024);
  const lines = await all([huge.slice(0, 300_000), huge.slice(300_000), `\n${REAL}\n`], {
    maxLineBytes: 16 * 1024,
  });
  assert.equal(lines.length, 2);
  assert.equal(lines[0]?.text.length, 16 * 1024);
  assert.equal(lines[0]?.issue?.reason, "too-long");
  assert.equal(lines[0]?.endOffset, huge.length + 1);
  assert.equal(lines[1]?.text, REAL);
  assert.equal(lines[1]?.byteOffset, huge.length + 1);
});

test("CRLF line ends are stripped", async () => {
  const [line] = await all([`${REAL}\r\n`]);
  assert.equal(line?.text, REAL);
});

test("reading from an offset numbers lines from there", async () => {
  const lines = await all(["b\nc\n"], { startOffset: 2, startLineNo: 2 });
  assert.deepEqual(
    lines.map((l) => [l.lineNo, l.byteOffset, l.text]),
    [
      [2, 2, "b"],
      [3, 4, "c"],
    ],
  );
});
