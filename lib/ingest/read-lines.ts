import { isUtf8 } from "node:buffer";

/** A line as read from a file, with where it was and what had to be repaired to store it as text. */
export type RawLine = {
  lineNo: number;
  /** Offset of the line's first byte (in the decompressed stream for .gz). */
  byteOffset: number;
  /** Offset just after the line's newline. */
  endOffset: number;
  text: string;
  /** False for a last line without a newline (the writer may still be writing it). */
  terminated: boolean;
  issue?: { reason: "invalid-utf8" | "nul-bytes" | "too-long"; detail: string };
};

export type ReadOptions = {
  /** Offset of the first byte the stream will deliver. */
  startOffset?: number;
  /** Number of the line at startOffset (1-based). */
  startLineNo?: number;
  /** Longer lines are cut to this many bytes (the rest is counted, not kept). */
  maxLineBytes?: number;
  /** Lines per yielded batch. */
  batchSize?: number;
};

export const MAX_LINE_BYTES = 16 * 1024;
const NEWLINE = 0x0a;

/** Splits a byte stream into lines, in batches; never throws on content (NULs, bad UTF-8, huge lines). */
export async function* readLines(
  input: AsyncIterable<Buffer | string>,
  options: ReadOptions = {},
): AsyncGenerator<RawLine[]> {
  const maxLine = options.maxLineBytes ?? MAX_LINE_BYTES;
  const batchSize = options.batchSize ?? 2000;
  let offset = options.startOffset ?? 0;
  let lineNo = (options.startLineNo ?? 1) - 1;
  // The line being assembled across chunks: its first bytes (at most maxLine) and its full length.
  let pending: Buffer[] = [];
  let pendingKept = 0;
  let pendingTotal = 0;
  let batch: RawLine[] = [];

  const emit = (bytes: Buffer, total: number, terminated: boolean) => {
    let end = bytes.length;
    if (terminated && end > 0 && bytes[end - 1] === 0x0d && total === end) end -= 1;
    const line = decodeLine(bytes.subarray(0, end), total - bytes.length);
    lineNo += 1;
    line.lineNo = lineNo;
    line.byteOffset = offset;
    offset += total + (terminated ? 1 : 0);
    line.endOffset = offset;
    line.terminated = terminated;
    batch.push(line);
  };
  const keep = (piece: Buffer) => {
    const room = maxLine - pendingKept;
    if (room > 0) {
      const kept = piece.length > room ? piece.subarray(0, room) : piece;
      pending.push(Buffer.from(kept));
      pendingKept += kept.length;
    }
    pendingTotal += piece.length;
  };

  for await (const chunk of input) {
    const data = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    let start = 0;
    // Where the chunk's next NUL byte is: lines before it take the fast path.
    let nul = data.indexOf(0);
    for (;;) {
      const nl = data.indexOf(NEWLINE, start);
      if (nl === -1) {
        if (start < data.length) keep(data.subarray(start));
        break;
      }
      if (nul !== -1 && nul < start) nul = data.indexOf(0, start);
      const length = nl - start;
      if (pendingTotal === 0 && length <= maxLine && (nul === -1 || nul > nl)) {
        // A whole line of the chunk without NUL bytes: decoded in place, no copy of its bytes.
        const end = length > 0 && data[nl - 1] === 0x0d ? nl - 1 : nl;
        const text = data.toString("utf8", start, end);
        if (text.includes("\uFFFD") && !isUtf8(data.subarray(start, end))) {
          emit(data.subarray(start, nl), length, true);
        } else {
          lineNo += 1;
          batch.push({
            lineNo,
            byteOffset: offset,
            endOffset: offset + length + 1,
            text,
            terminated: true,
            issue: undefined,
          });
          offset += length + 1;
        }
      } else if (pendingTotal === 0) {
        emit(data.subarray(start, start + Math.min(length, maxLine)), length, true);
      } else {
        keep(data.subarray(start, nl));
        emit(Buffer.concat(pending), pendingTotal, true);
        pending = [];
        pendingKept = 0;
        pendingTotal = 0;
      }
      start = nl + 1;
      // Small batches are consumed while young: the garbage collector has little to move.
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (pendingTotal > 0) emit(Buffer.concat(pending), pendingTotal, false);
  if (batch.length > 0) yield batch;
}

function decodeLine(bytes: Buffer, dropped: number): RawLine {
  let slice = bytes;
  let issue: RawLine["issue"];
  if (slice.indexOf(0) !== -1) {
    const count = slice.reduce((n, b) => (b === 0 ? n + 1 : n), 0);
    slice = Buffer.from(slice.filter((b) => b !== 0));
    issue = { reason: "nul-bytes", detail: `${count} NUL byte(s) removed` };
  }
  const text = slice.toString("utf8");
  if (text.includes("\uFFFD") && !isUtf8(slice)) {
    issue = { reason: "invalid-utf8", detail: "invalid UTF-8 bytes replaced by U+FFFD" };
  }
  if (dropped > 0) {
    issue = { reason: "too-long", detail: `line of ${slice.length + dropped} bytes cut to ${slice.length}` };
  }
  return { lineNo: 0, byteOffset: 0, endOffset: 0, text, terminated: true, issue };
}
