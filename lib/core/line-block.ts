// NOTE: persisted format of LineBlock.data (prisma/schema.prisma). A block holds consecutive line
// ids: one UTF-8 text made of a JSON header line, then the lines' texts, one per line (a log line
// never holds a newline). The header has one array entry per line:
//   s source id, n line number, o byte offset, t time (epoch ms, null when the line has none),
//   e index into k, the event kinds of the block.
// n, o and t hold differences from the line before (from 0 for the first line; t from the last
// line that had a time), so that long blocks compress well. The migration that moved the old Line
// rows writes single-line blocks of the same format with SQL.
import { deflateRawSync, inflateRawSync } from "node:zlib";
import type { LineColumns } from "./line-columns.ts";

/** One stored line, as read back from its block. */
export type BlockLine = {
  id: number;
  sourceId: number;
  lineNo: number;
  byteOffset: number;
  ts: number | null;
  /** Event kind from the parsers (e.g. postfix.delivery), or unparsed / other / unrecognised. */
  event: string;
  text: string;
};

type Header = { s: number[]; n: number[]; o: number[]; t: (number | null)[]; k: string[]; e: number[] };

// Below this many bytes deflate gains little and costs a call; such blocks are kept as they are.
const COMPRESS_FROM_BYTES = 512;

/** A block of lines ready to store. */
export type EncodedBlock = {
  id: number;
  count: number;
  lastSecond: number;
  compressed: boolean;
  data: Buffer;
};

/** Encodes lines [from, to) of the columns as one block. */
export function encodeBlock(lines: LineColumns, from: number, to: number): EncodedBlock {
  const header: Header = { s: [], n: [], o: [], t: [], k: [], e: [] };
  const kinds = new Map<number, number>();
  let lineNo = 0;
  let offset = 0;
  let ts = 0;
  let lastSecond = 0;
  for (let i = from; i < to; i += 1) {
    header.s.push(lines.sourceIds[i] as number);
    const n = lines.lineNos[i] as number;
    header.n.push(n - lineNo);
    lineNo = n;
    const o = lines.byteOffsets[i] as number;
    header.o.push(o - offset);
    offset = o;
    const t = lines.ts[i] as number;
    if (Number.isNaN(t)) header.t.push(null);
    else {
      header.t.push(t - ts);
      ts = t;
    }
    const event = lines.events[i] as number;
    let index = kinds.get(event);
    if (index === undefined) {
      index = header.k.length;
      kinds.set(event, index);
      header.k.push(lines.eventNames[event] as string);
    }
    header.e.push(index);
    lastSecond = Math.max(lastSecond, lines.seconds[i] as number);
  }
  const start = from === 0 ? 0 : (lines.textEnds[from - 1] as number) + 1;
  const end = lines.textEnds[to - 1] as number;
  const plain = Buffer.concat([
    Buffer.from(`${JSON.stringify(header)}\n`, "utf8"),
    lines.text.subarray(start, end),
  ]);
  const deflated = plain.length >= COMPRESS_FROM_BYTES ? deflateRawSync(plain, { level: 1 }) : undefined;
  const compressed = deflated !== undefined && deflated.length < plain.length;
  return {
    id: lines.firstId + from,
    count: to - from,
    lastSecond,
    compressed,
    data: compressed ? (deflated as Buffer) : plain,
  };
}

/** The lines of a stored block. */
export function decodeBlock(block: {
  id: number;
  count: number;
  compressed: boolean | number;
  data: Uint8Array;
}): BlockLine[] {
  const bytes = Buffer.from(block.data.buffer, block.data.byteOffset, block.data.byteLength);
  const plain = block.compressed ? inflateRawSync(bytes) : bytes;
  const newline = plain.indexOf(0x0a);
  const header = JSON.parse(plain.toString("utf8", 0, newline)) as Header;
  // Each line's text decoded on its own: a slice of the whole block's text would keep all of it
  // alive for as long as one of its lines is (the PostgreSQL leader holds lines for a while).
  let start = newline + 1;
  const nextText = () => {
    if (start > plain.length) return "";
    const end = plain.indexOf(0x0a, start);
    const stop = end === -1 ? plain.length : end;
    const text = plain.toString("utf8", start, stop);
    start = stop + 1;
    return text;
  };
  const lines: BlockLine[] = [];
  let lineNo = 0;
  let offset = 0;
  let ts = 0;
  for (let i = 0; i < block.count; i += 1) {
    lineNo += header.n[i] as number;
    offset += header.o[i] as number;
    const dt = header.t[i];
    if (dt !== null && dt !== undefined) ts += dt;
    lines.push({
      id: block.id + i,
      sourceId: header.s[i] as number,
      lineNo,
      byteOffset: offset,
      ts: dt === null || dt === undefined ? null : ts,
      event: header.k[header.e[i] as number] as string,
      text: nextText(),
    });
  }
  return lines;
}
