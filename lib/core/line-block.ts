// NOTE: persisted format of LineBlock.data (prisma/schema.prisma). A block holds consecutive line
// ids: one UTF-8 text made of a JSON header line, then the lines' texts, one per line (a log line
// never holds a newline). The header has one array entry per line:
//   s source id, n line number, o byte offset, t time (epoch ms, null when the line has none),
//   e index into k, the event kinds of the block.
// n, o and t hold differences from the line before (from 0 for the first line; t from the last
// line that had a time), so that long blocks compress well. The migration that moved the old Line
// rows writes single-line blocks of the same format with SQL.
import { deflateRawSync, inflateRawSync } from "node:zlib";

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

/**
 * Lines to store, column by column, with consecutive ids from `firstId`: typed arrays, so that a
 * batch reaches the write thread without a copy per line.
 */
export type LineColumns = {
  firstId: number;
  count: number;
  sourceIds: Int32Array;
  lineNos: Float64Array;
  byteOffsets: Float64Array;
  /** NaN for a line without time. */
  ts: Float64Array;
  events: Uint16Array;
  eventNames: string[];
  /** 12 bytes per line (lib/ingest/line-key.ts). */
  keys: Uint8Array;
  /** The key second of each line. */
  seconds: Float64Array;
  /** The lines' texts in UTF-8, each followed by a newline; line i ends before textEnds[i]. */
  text: Uint8Array;
  textEnds: Uint32Array;
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
  const text = (block.compressed ? inflateRawSync(bytes) : bytes).toString("utf8");
  const newline = text.indexOf("\n");
  const header = JSON.parse(text.slice(0, newline)) as Header;
  const texts = text.slice(newline + 1).split("\n");
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
      text: texts[i] ?? "",
    });
  }
  return lines;
}

/** Collects lines into columns as they come; `take()` hands them over and starts anew. */
export class LineColumnsBuilder {
  private count = 0;
  private sourceIds = new Int32Array(0);
  private lineNos = new Float64Array(0);
  private byteOffsets = new Float64Array(0);
  private ts = new Float64Array(0);
  private events = new Uint16Array(0);
  private keys = new Uint8Array(0);
  private seconds = new Float64Array(0);
  private textEnds = new Uint32Array(0);
  // Texts go straight into bytes: nothing of a line is left for the garbage collector to move.
  private text = Buffer.allocUnsafeSlow(0);
  private textLength = 0;
  private readonly eventCodes = new Map<string, number>();
  private readonly eventNames: string[] = [];

  constructor(
    private firstId: number,
    private readonly capacity: number,
  ) {
    this.allocate(capacity);
  }

  get size(): number {
    return this.count;
  }

  /** Adds a line (`ts` NaN when it has none); returns its index in this batch. */
  add(
    sourceId: number,
    lineNo: number,
    byteOffset: number,
    ts: number,
    event: string,
    second: number,
    text: string,
  ): number {
    if (this.count === this.sourceIds.length) this.grow();
    const i = this.count;
    this.count += 1;
    this.sourceIds[i] = sourceId;
    this.lineNos[i] = lineNo;
    this.byteOffsets[i] = byteOffset;
    this.ts[i] = ts;
    this.events[i] = this.eventCode(event);
    this.seconds[i] = second;
    if (this.textLength + 3 * text.length + 1 > this.text.length) this.growText(text.length);
    this.textLength += this.text.write(text, this.textLength, "utf8");
    this.textEnds[i] = this.textLength;
    this.text[this.textLength] = 0x0a;
    this.textLength += 1;
    return i;
  }

  /** The id of line `i` of this batch. */
  idAt(i: number): number {
    return this.firstId + i;
  }

  /** Where the key of line `i` goes: 12 bytes at offset 12 * i. */
  keysOf(): Uint8Array {
    return this.keys;
  }

  /** The lines added since the last take (arrays of their own, ready to transfer). */
  take(): LineColumns {
    const n = this.count;
    const columns: LineColumns = {
      firstId: this.firstId,
      count: n,
      sourceIds: this.sourceIds.slice(0, n),
      lineNos: this.lineNos.slice(0, n),
      byteOffsets: this.byteOffsets.slice(0, n),
      ts: this.ts.slice(0, n),
      events: this.events.slice(0, n),
      eventNames: [...this.eventNames],
      keys: this.keys.slice(0, 12 * n),
      seconds: this.seconds.slice(0, n),
      text: new Uint8Array(this.text.subarray(0, this.textLength)),
      textEnds: this.textEnds.slice(0, n),
    };
    this.firstId += n;
    this.count = 0;
    this.textLength = 0;
    return columns;
  }

  private eventCode(kind: string): number {
    let code = this.eventCodes.get(kind);
    if (code === undefined) {
      code = this.eventNames.length;
      this.eventNames.push(kind);
      this.eventCodes.set(kind, code);
    }
    return code;
  }

  private grow(): void {
    const n = Math.max(this.capacity, 2 * this.sourceIds.length);
    this.sourceIds = grown(this.sourceIds, new Int32Array(n));
    this.lineNos = grown(this.lineNos, new Float64Array(n));
    this.byteOffsets = grown(this.byteOffsets, new Float64Array(n));
    this.ts = grown(this.ts, new Float64Array(n));
    this.events = grown(this.events, new Uint16Array(n));
    this.keys = grown(this.keys, new Uint8Array(12 * n));
    this.seconds = grown(this.seconds, new Float64Array(n));
    this.textEnds = grown(this.textEnds, new Uint32Array(n));
  }

  private growText(needed: number): void {
    const text = Buffer.allocUnsafeSlow(
      Math.max(2 * this.text.length, this.textLength + 3 * needed + 1, 1 << 16),
    );
    this.text.copy(text, 0, 0, this.textLength);
    this.text = text;
  }

  private allocate(n: number): void {
    this.sourceIds = new Int32Array(n);
    this.lineNos = new Float64Array(n);
    this.byteOffsets = new Float64Array(n);
    this.ts = new Float64Array(n);
    this.events = new Uint16Array(n);
    this.keys = new Uint8Array(12 * n);
    this.seconds = new Float64Array(n);
    this.textEnds = new Uint32Array(n);
  }
}

function grown<T extends Int32Array | Float64Array | Uint16Array | Uint8Array | Uint32Array>(
  from: T,
  to: T,
): T {
  to.set(from as never);
  return to;
}
