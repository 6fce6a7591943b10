import { Readable } from "node:stream";
import { YearResolver } from "../../syslog/year-resolver.ts";
import { type DecodedLine, decodeLine } from "../decode-line.ts";
import type { FileKind } from "../file-kind.ts";
import type { PipelineLine, SourceHandle } from "../line-pipeline.ts";
import { type RawLine, readLines } from "../read-lines.ts";

const NEWLINE = Buffer.from("\n");
const DAY_MS = 86_400_000;

/** Decodes the lines of one file in order: its year resolver, and the time given to lines without one. */
export class LineDecoder {
  constructor(
    private readonly kind: FileKind,
    private readonly dspamUser: string | undefined,
    private readonly years: YearResolver,
    /** Time of the last line with one (lines without a time are placed in its second). */
    public lastTs = 0,
  ) {}

  /** The line ready for the pipeline, or undefined for a blank line (DSPAM writes one after each record). */
  decode(raw: RawLine): PipelineLine | undefined {
    if (raw.text.trim() === "") return undefined;
    const decoded: DecodedLine = decodeLine(raw.text, this.kind, this.years, this.dspamUser);
    if (decoded.ts !== null) this.lastTs = decoded.ts;
    // The same rule as batch ingest (SourceCursor), so both give a line the same key.
    else decoded.identity = `${decoded.identity}\u001f${Math.floor(this.lastTs / 1000)}`;
    return { raw, decoded, orderTs: decoded.ts ?? this.lastTs };
  }
}

/**
 * Years for a file read live: continuing from the last line of the file before it (so a file that
 * starts in January after one that ended in December is in the next year), else `year`, else the
 * current date (a day ahead, for a line stamped a moment after midnight on the 1st by a fast clock).
 */
export function continuingYears(lastTs: number | null, year: number | undefined, now: number): YearResolver {
  if (lastTs === null) return new YearResolver(new Date(now + DAY_MS), year);
  const last = new Date(lastTs);
  const years = new YearResolver(new Date(now + DAY_MS), last.getFullYear());
  // Primes the resolver with the month of that last line.
  years.toEpochMs({
    kind: "yearless",
    time: { month: last.getMonth(), day: last.getDate(), hour: 0, minute: 0, second: 0, ms: 0 },
  });
  return years;
}

/** One file (one inode) as tail-file delivers it: the bytes of complete lines since `offset`, not yet stored. */
export class LiveSegment {
  source: SourceHandle | undefined;
  decoder: LineDecoder | undefined;
  /** sha1 of the first line, once known (the source's identity). */
  fingerprint: string | undefined;
  /** dev:ino of the file, from tail-file's ready event. */
  inode: string | null = null;
  /** Size of the file when last seen. */
  size = 0;
  /** Set when tail-file moved on to a new file; the old one may still hold lines not delivered. */
  ended: "rotated" | "truncated" | undefined;
  /** The first lines, kept until the file is identified (its kind is sniffed from them). */
  head: Buffer[] = [];
  private chunks: Buffer[] = [];
  private lines = 0;

  constructor(
    /** Byte offset of the next line not yet taken. */
    public offset: number,
    public lineNo: number,
  ) {}

  get pendingLines(): number {
    return this.lines;
  }

  add(bytes: Buffer): void {
    this.chunks.push(bytes, NEWLINE);
    this.lines += 1;
    if (this.source === undefined && this.head.length < 20) this.head.push(bytes);
  }

  /** Splits the pending bytes into lines (the same splitting and repairs as batch ingest) and advances. */
  async take(): Promise<RawLine[]> {
    if (this.lines === 0) return [];
    const data = Buffer.concat(this.chunks);
    this.chunks = [];
    this.lines = 0;
    const lines: RawLine[] = [];
    for await (const batch of readLines(Readable.from([data]), {
      startOffset: this.offset,
      startLineNo: this.lineNo,
    })) {
      for (const line of batch) lines.push(line);
    }
    const last = lines.at(-1);
    if (last) {
      this.offset = last.endOffset;
      this.lineNo = last.lineNo + 1;
    }
    return lines;
  }
}
