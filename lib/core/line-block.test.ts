import assert from "node:assert/strict";
import { test } from "node:test";
import { type BlockLine, decodeBlock, encodeBlock } from "./line-block.ts";
import { LineColumnsBuilder } from "./line-columns.ts";

// Real lines of tests/fixtures (the lab's maillog and DSPAM's system.log), one without time.
const LINES: Omit<BlockLine, "id">[] = [
  {
    sourceId: 3,
    lineNo: 1,
    byteOffset: 0,
    ts: 1_795_000_016_000,
    event: "postfix.connect",
    text: "Nov 22 03:26:56 mail postfix/smtpd[29256]: connect from localhost[127.0.0.1]",
  },
  {
    sourceId: 3,
    lineNo: 2,
    byteOffset: 78,
    ts: 1_795_000_016_000,
    event: "postfix.client",
    text: "Nov 22 03:26:56 mail postfix/smtpd[29256]: 40B5C166611: client=localhost[127.0.0.1]",
  },
  { sourceId: 3, lineNo: 5, byteOffset: 300, ts: null, event: "unrecognised", text: "ir/) — café ☃" },
  {
    sourceId: 7,
    lineNo: 1,
    byteOffset: 0,
    ts: 1_795_000_017_000,
    event: "dspam.record",
    text: "1795000017\tI\tbob@example.net\t6a3f1b2c\tHello\t0.01\tbob\tDelivered\t<a@b>",
  },
];

function columns(lines: typeof LINES, firstId: number) {
  const builder = new LineColumnsBuilder(firstId, 2);
  for (const line of lines)
    builder.add(
      line.sourceId,
      line.lineNo,
      line.byteOffset,
      line.ts ?? Number.NaN,
      line.event,
      Math.floor((line.ts ?? 1_795_000_016_000) / 1000),
      line.text,
    );
  return builder.take();
}

test("a block gives back every line with its id, source, number, offset, time, event and text", () => {
  const block = encodeBlock(columns(LINES, 41), 0, LINES.length);
  assert.equal(block.id, 41);
  assert.equal(block.count, 4);
  assert.equal(block.lastSecond, 1_795_000_017);
  assert.deepEqual(
    decodeBlock(block),
    LINES.map((line, i) => ({ id: 41 + i, ...line })),
  );
});

test("big blocks are deflated, small ones kept as they are; both decode the same", () => {
  const many = Array.from({ length: 300 }, (_, i) => ({ ...(LINES[i % 2] as BlockLine), lineNo: i + 1 }));
  const big = encodeBlock(columns(many, 1), 0, many.length);
  assert.equal(big.compressed, true);
  assert.ok(big.data.length < many.length * 20, `${big.data.length} bytes`);
  assert.equal(decodeBlock(big).at(-1)?.lineNo, 300);
  const small = encodeBlock(columns(LINES.slice(0, 1), 9), 0, 1);
  assert.equal(small.compressed, false);
  assert.equal(decodeBlock(small)[0]?.text, LINES[0]?.text);
});

test("a batch's columns split into blocks anywhere; the builder starts each batch at the next id", () => {
  const builder = new LineColumnsBuilder(100, 1);
  for (const line of LINES)
    builder.add(line.sourceId, line.lineNo, line.byteOffset, line.ts ?? Number.NaN, line.event, 0, line.text);
  const first = builder.take();
  const parts = [encodeBlock(first, 0, 1), encodeBlock(first, 1, 3), encodeBlock(first, 3, 4)];
  assert.deepEqual(
    parts.flatMap((block) => decodeBlock(block)).map((line) => [line.id, line.text]),
    LINES.map((line, i) => [100 + i, line.text]),
  );
  builder.add(1, 9, 0, 0, "other", 0, "next batch");
  const second = builder.take();
  assert.equal(second.firstId, 104);
  assert.equal(decodeBlock(encodeBlock(second, 0, 1))[0]?.text, "next batch");
});
