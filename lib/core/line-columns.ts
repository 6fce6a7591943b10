// A write batch's new lines, column by column (lib/store/write-batch.ts), and how they are collected.

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

/** Lines `indexes` (ascending) of `lines` as columns of their own, with consecutive ids from `firstId`. */
export function selectLines(lines: LineColumns, indexes: readonly number[], firstId: number): LineColumns {
  const n = indexes.length;
  const picked: LineColumns = {
    firstId,
    count: n,
    sourceIds: new Int32Array(n),
    lineNos: new Float64Array(n),
    byteOffsets: new Float64Array(n),
    ts: new Float64Array(n),
    events: new Uint16Array(n),
    eventNames: lines.eventNames,
    keys: new Uint8Array(12 * n),
    seconds: new Float64Array(n),
    text: new Uint8Array(0),
    textEnds: new Uint32Array(n),
  };
  const texts: Uint8Array[] = [];
  let length = 0;
  indexes.forEach((from, to) => {
    picked.sourceIds[to] = lines.sourceIds[from] as number;
    picked.lineNos[to] = lines.lineNos[from] as number;
    picked.byteOffsets[to] = lines.byteOffsets[from] as number;
    picked.ts[to] = lines.ts[from] as number;
    picked.events[to] = lines.events[from] as number;
    picked.seconds[to] = lines.seconds[from] as number;
    picked.keys.set(lines.keys.subarray(12 * from, 12 * from + 12), 12 * to);
    // Line i's text runs from the end of line i-1 (+ its newline) to textEnds[i], then a newline.
    const start = from === 0 ? 0 : (lines.textEnds[from - 1] as number) + 1;
    const end = (lines.textEnds[from] as number) + 1;
    texts.push(lines.text.subarray(start, end));
    length += end - start;
    picked.textEnds[to] = length - 1;
  });
  picked.text = new Uint8Array(length);
  let at = 0;
  for (const text of texts) {
    picked.text.set(text, at);
    at += text.length;
  }
  return picked;
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
