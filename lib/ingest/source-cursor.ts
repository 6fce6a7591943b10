import { createHash } from "node:crypto";
import type { StoredSource } from "../store/sources.ts";
import { YearResolver } from "../syslog/year-resolver.ts";
import { type DecodedLine, decodeLine } from "./decode-line.ts";
import type { FileKind } from "./file-kind.ts";
import type { OpenedInput } from "./open-input.ts";
import { type RawLine, readLines } from "./read-lines.ts";

/** A line of one source, decoded, waiting for its turn in the time-ordered merge. */
export type CursorLine = {
  raw: RawLine;
  decoded: DecodedLine;
  /** Timestamp used for ordering: the line's own, or the last one seen in the file. */
  orderTs: number;
};

export type CursorOptions = {
  kind: FileKind;
  dspamUser: string | undefined;
  year: number | undefined;
  onBytes?: (n: number) => void;
  /** Lines read ahead per file: small when many files are merged, so memory stays bounded. */
  batchSize?: number;
  /** Bytes read ahead per file, for the same reason. */
  chunkBytes?: number;
};

/** sha1 of a line's text: how a resume recognises the last line it stored. */
export const lineTextHash = (text: string) => createHash("sha1").update(text).digest("hex");

/**
 * Reads one source from where the last run stopped. Before resuming, the line that ended there
 * is read again: if it is not the one stored (the file was replaced or truncated), the whole file
 * is read from the start instead; its lines are deduplicated by key either way.
 */
export class SourceCursor {
  // Lines read ahead are decoded one at a time, when they come to the head: with hundreds of
  // files merged (DSPAM's per-user logs), decoded lines waiting behind every head cost more memory
  // than their text.
  private batch: RawLine[] = [];
  private index = 0;
  private head: CursorLine | undefined;
  private lines: AsyncGenerator<RawLine[]> | undefined;
  private years: YearResolver;
  private lastTs: number;
  private start = { offset: 0, lineNo: 1 };
  /** Set when a file seen before no longer matched and was read from the start. */
  restarted = false;
  /** Bytes and lines not read again because an earlier run stored them. */
  skippedLines = 0;

  constructor(
    readonly input: OpenedInput,
    readonly source: StoredSource,
    private readonly options: CursorOptions,
  ) {
    this.lastTs = source.lastTs ?? 0;
    this.years = new YearResolver(input.mtime, options.year);
  }

  /** Decides where to start reading (resume point or the beginning); call once before refill(). */
  async prepare(): Promise<void> {
    const { source, input } = this;
    if (source.offset === 0 || input.path === "-") return;
    if (await this.stillTheSame()) {
      this.start = { offset: source.offset, lineNo: source.nextLineNo };
      this.skippedLines = source.nextLineNo - 1;
      // Resuming mid-file: the next line has the year of the last one stored, not --year.
      if (source.lastTs !== null)
        this.years = new YearResolver(input.mtime, new Date(source.lastTs).getFullYear());
      return;
    }
    this.restarted = true;
    this.lastTs = 0;
  }

  /** The next line without consuming it, if one is buffered. */
  peek(): CursorLine | undefined {
    if (this.head) return this.head;
    for (; this.index < this.batch.length; this.index += 1) {
      const raw = this.batch[this.index] as RawLine;
      // Blank lines carry nothing (DSPAM writes one after every user-log record): not stored.
      if (raw.text.trim() === "") continue;
      this.head = this.decode(raw);
      return this.head;
    }
    return undefined;
  }

  take(): CursorLine | undefined {
    const line = this.peek();
    if (line) {
      this.head = undefined;
      this.index += 1;
    }
    return line;
  }

  /** Reads the next batch; false at the end of the input. */
  async refill(): Promise<boolean> {
    while (!this.peek()) {
      this.lines ??= readLines(
        this.input.read(this.start.offset, this.options.onBytes, this.options.chunkBytes),
        {
          batchSize: this.options.batchSize,
          startOffset: this.start.offset,
          startLineNo: this.start.lineNo,
        },
      );
      const next = await this.lines.next();
      if (next.done) return false;
      this.batch = next.value;
      this.index = 0;
    }
    return true;
  }

  private decode(raw: RawLine): CursorLine {
    const decoded = decodeLine(raw.text, this.options.kind, this.years, this.options.dspamUser);
    if (decoded.ts !== null) this.lastTs = decoded.ts;
    // A line without a timestamp is placed in the second of the line before it, so that the
    // same garbage twice in a file is stored twice, and not again when the file is re-read.
    else decoded.identity = `${decoded.identity}\u001f${Math.floor(this.lastTs / 1000)}`;
    return { raw, decoded, orderTs: decoded.ts ?? this.lastTs };
  }

  private async stillTheSame(): Promise<boolean> {
    const { source, input } = this;
    if (!input.compressed && input.size < source.offset) return false;
    const lines = readLines(input.read(source.tailOffset), { startOffset: source.tailOffset, batchSize: 1 });
    try {
      const first = await lines.next();
      const line = first.done ? undefined : first.value[0];
      return (
        line !== undefined && line.endOffset === source.offset && lineTextHash(line.text) === source.tailHash
      );
    } finally {
      await lines.return(undefined);
    }
  }
}
