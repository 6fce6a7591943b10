import type { Db } from "../db/connection.ts";
import { LineWriter } from "../store/line-writer.ts";
import {
  createSource,
  findSource,
  latestRepeatSnapshot,
  type SourceProgress,
  type StoredSource,
  saveSourceProgress,
  touchSource,
} from "../store/sources.ts";
import type { DecodedLine } from "./decode-line.ts";
import type { FileKind } from "./file-kind.ts";
import { identityHash, lineKey, RepeatCounter, type RepeatSnapshot } from "./line-key.ts";
import type { RawLine } from "./read-lines.ts";
import { lineTextHash } from "./source-cursor.ts";

/** A line stored for the first time, handed to the correlator in time order. */
export type StoredLine = { id: number; sourceId: number; decoded: DecodedLine; raw: RawLine };

/** What consumes the new lines (the correlator): both calls run inside a write transaction. */
export type LineSink = {
  lines(stored: StoredLine[]): void;
  end(): void;
};

/** A line read from a source, ready to be keyed and stored. */
export type PipelineLine = { raw: RawLine; decoded: DecodedLine; orderTs: number };

export type ProgramTotals = { read: number; fresh: number; known: number; unparsed: number };
export type Totals = ProgramTotals & { problems: number; skipped: number };

/** How a source's reading relates to what an earlier run stored. */
export type Continuation =
  /** Resumed after the last stored line: continue its repeat counts. */
  | "resumed"
  /** A file never seen: continue the stream's last counts (a rotation cut inside a second). */
  | "new"
  /** Read again from its start: count from zero, so its lines get the keys they got before. */
  | "reread";

export type SourceInfo = {
  fingerprint: string;
  path: string;
  stream: string;
  kind: FileKind;
  dspamUser: string | null;
  compressed: boolean;
  inode: string | null;
  size: number;
};

/** A source being read in this run. */
export type SourceHandle = {
  stored: StoredSource;
  totals: { read: number; fresh: number; known: number };
  progress: SourceProgress;
  repeats: RepeatCounter;
  /** An unterminated last line stored by an earlier run, replaced once it is complete. */
  unterminated: { lineId: number; byteOffset: number } | undefined;
  /** Text of the last complete line pushed: hashed at commit to recognise the resume point later. */
  lastText: string | null;
};

const UNRECOGNISED = "(no envelope)";

/**
 * Keys, stores and hands on lines, in write batches: each batch is one transaction holding the
 * lines, each source's new position and the sink's output, so a crash loses or repeats nothing.
 * Batch ingest and live follow both write through it.
 */
export class LinePipeline {
  readonly totals: Totals = { read: 0, fresh: 0, known: 0, unparsed: 0, problems: 0, skipped: 0 };
  readonly programs = new Map<string, ProgramTotals>();
  private readonly writer: LineWriter;
  private readonly streams = new Map<string, RepeatCounter>();
  private pending: { source: SourceHandle; line: PipelineLine; key: Buffer }[] = [];
  private readonly commit: (batch: LinePipeline["pending"]) => void;
  private readonly now: () => number;

  constructor(
    private readonly db: Db,
    private readonly options: { sink?: LineSink; now?: () => number; batchLines?: number } = {},
  ) {
    this.writer = new LineWriter(db);
    this.now = options.now ?? Date.now;
    this.commit = db.transaction((batch: LinePipeline["pending"]) => this.store(batch));
  }

  /** Finds or registers the source of a file (by its first line), noting where it is now. */
  findOrCreate(info: SourceInfo): StoredSource {
    const seen = {
      path: info.path,
      compressed: info.compressed,
      inode: info.inode,
      size: info.size,
      now: this.now(),
    };
    const stored = findSource(this.db, info.fingerprint);
    if (stored) {
      touchSource(this.db, stored.id, seen);
      return stored;
    }
    return createSource(this.db, { ...info, ...seen });
  }

  /** Starts reading a source; the first source of a stream in this run decides where its repeat counts start. */
  open(stored: StoredSource, continuation: Continuation): SourceHandle {
    let repeats = this.streams.get(stored.stream);
    if (!repeats) {
      const snapshot: RepeatSnapshot | null =
        continuation === "resumed"
          ? stored.tailCounts
          : continuation === "new"
            ? latestRepeatSnapshot(this.db, stored.stream)
            : null;
      repeats = new RepeatCounter(snapshot);
      this.streams.set(stored.stream, repeats);
    }
    return {
      stored,
      totals: { read: 0, fresh: 0, known: 0 },
      progress: emptyProgress(stored),
      repeats,
      unterminated: findUnterminated(this.db, stored.id),
      lastText: null,
    };
  }

  /** Keys a line (in the order lines are pushed: time order across files) and queues it for the next batch. */
  push(source: SourceHandle, line: PipelineLine): void {
    const identity = line.decoded.identity;
    const hash = identityHash(identity);
    const second = Math.floor(line.orderTs / 1000);
    const repeat = source.repeats.next(hash, second);
    this.pending.push({ source, line, key: lineKey(identity, hash, repeat, second) });
    if (this.pending.length >= (this.options.batchLines ?? 10_000)) this.flush();
  }

  get pendingLines(): number {
    return this.pending.length;
  }

  /** Commits the queued lines. */
  flush(): void {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.commit(batch);
  }

  /** Commits what is queued and lets the sink hand out its provisional state. */
  end(): void {
    this.flush();
    const sink = this.options.sink;
    if (sink) this.db.transaction(() => sink.end())();
  }

  private store(batch: LinePipeline["pending"]): void {
    const stored: StoredLine[] = [];
    const touched = new Set<SourceHandle>();
    for (const { source, line, key } of batch) {
      touched.add(source);
      const id = this.storeLine(source, line, key);
      this.account(source, line, id !== undefined);
      if (id !== undefined)
        stored.push({ id, sourceId: source.stored.id, decoded: line.decoded, raw: line.raw });
    }
    this.options.sink?.lines(stored);
    for (const source of touched) {
      if (source.lastText !== null) source.progress.tailHash = lineTextHash(source.lastText);
      source.progress.tailCounts = source.repeats.snapshot();
      saveSourceProgress(this.db, source.stored.id, source.progress, this.now());
      source.progress = { ...emptyProgress(source.progress), tailCounts: null };
    }
  }

  private storeLine(source: SourceHandle, line: PipelineLine, key: Buffer): number | undefined {
    const { raw, decoded } = line;
    const event = decoded.event;
    let issue: { reason: string; detail: string | null } | undefined;
    if (event.kind === "unrecognised") issue = { reason: "unrecognised", detail: "no known log envelope" };
    else if (event.kind === "unparsed") issue = { reason: "unparsed", detail: event.reason };
    if (raw.issue) {
      issue = {
        reason: raw.issue.reason,
        detail: issue ? `${raw.issue.detail}; ${issue.detail}` : raw.issue.detail,
      };
    }
    if (!raw.terminated)
      issue = { reason: "unterminated", detail: "last line without a newline (may still be written)" };
    const id = this.writer.write({
      sourceId: source.stored.id,
      lineNo: raw.lineNo,
      byteOffset: raw.byteOffset,
      ts: decoded.ts,
      host: decoded.host,
      program: decoded.program,
      pid: decoded.pid,
      event: event.kind,
      raw: raw.text,
      key,
      issue,
    });
    if (id !== undefined && source.unterminated?.byteOffset === raw.byteOffset) {
      this.writer.remove(source.unterminated.lineId);
      source.unterminated = undefined;
    }
    return id;
  }

  private account(source: SourceHandle, line: PipelineLine, fresh: boolean): void {
    const { raw, decoded } = line;
    const { progress, totals } = source;
    const program = decoded.program ?? UNRECOGNISED;
    const unparsed = decoded.event.kind === "unparsed" || decoded.event.kind === "unrecognised";
    const perProgram = this.programs.get(program) ?? { read: 0, fresh: 0, known: 0, unparsed: 0 };
    this.programs.set(program, perProgram);
    progress.read += 1;
    totals.read += 1;
    this.totals.read += 1;
    perProgram.read += 1;
    if (fresh) {
      progress.fresh += 1;
      totals.fresh += 1;
      this.totals.fresh += 1;
      perProgram.fresh += 1;
      const counts = progress.programs.get(program) ?? { lines: 0, unparsed: 0 };
      progress.programs.set(program, counts);
      counts.lines += 1;
      if (unparsed) {
        counts.unparsed += 1;
        progress.unparsed += 1;
        this.totals.unparsed += 1;
        perProgram.unparsed += 1;
      }
      if (raw.issue) {
        progress.problems += 1;
        this.totals.problems += 1;
      }
    } else {
      progress.known += 1;
      totals.known += 1;
      this.totals.known += 1;
      perProgram.known += 1;
    }
    if (decoded.ts !== null) {
      if (progress.firstTs === null || decoded.ts < progress.firstTs) progress.firstTs = decoded.ts;
      if (progress.lastTs === null || decoded.ts > progress.lastTs) progress.lastTs = decoded.ts;
    }
    if (raw.terminated) {
      progress.offset = raw.endOffset;
      progress.nextLineNo = raw.lineNo + 1;
      progress.tailOffset = raw.byteOffset;
      source.lastText = raw.text;
    }
  }
}

function emptyProgress(
  at: Pick<SourceProgress, "offset" | "nextLineNo" | "tailOffset" | "tailHash">,
): SourceProgress {
  return {
    offset: at.offset,
    nextLineNo: at.nextLineNo,
    tailOffset: at.tailOffset,
    tailHash: at.tailHash,
    tailCounts: null,
    read: 0,
    fresh: 0,
    known: 0,
    unparsed: 0,
    problems: 0,
    firstTs: null,
    lastTs: null,
    programs: new Map(),
  };
}

function findUnterminated(db: Db, sourceId: number): SourceHandle["unterminated"] {
  const row = db
    .prepare(
      `SELECT l.id AS lineId, l.byteOffset AS byteOffset FROM LineIssue i JOIN Line l ON l.id = i.lineId
       WHERE i.sourceId = ? AND i.reason = 'unterminated' ORDER BY l.id DESC LIMIT 1`,
    )
    .get(sourceId) as { lineId: number; byteOffset: number | bigint } | undefined;
  return row ? { lineId: row.lineId, byteOffset: Number(row.byteOffset) } : undefined;
}
