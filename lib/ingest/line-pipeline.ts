import { LineColumnsBuilder } from "../core/line-columns.ts";
import type { SourceProgress, StoredSource } from "../store/sources.ts";
import type { StoreHooks } from "../store/sqlite-batch-store.ts";
import type { BatchResult, BatchWriter, CorrelationBatch, WriteBatch } from "../store/write-batch.ts";
import type { DecodedLine } from "./decode-line.ts";
import { emptyProgress, LineCounts } from "./line-counts.ts";
import { identityHash, keyHash, RepeatCounter, type RepeatSnapshot, writeLineKey } from "./line-key.ts";
import type { PipelineStore, SourceInfo } from "./pipeline-store.ts";
import type { RawLine } from "./read-lines.ts";
import { SeenKeys } from "./seen-keys.ts";
import { lineTextHash } from "./source-cursor.ts";

/** A line stored for the first time, handed to the correlator in time order. */
export type StoredLine = { id: number; sourceId: number; decoded: DecodedLine; raw: RawLine };

/** What consumes the new lines (the correlator): what it makes of them is written with them. */
export type LineSink = {
  /** A new line, in time order (with its id: lines are fed as they come, not held until their batch is written). */
  line(stored: StoredLine): void;
  /** What the lines since the last call make of the store: written in their batch. */
  batch(): CorrelationBatch;
  /** End of input (or follow's provisional write): what is still open, as it stands. */
  end(): CorrelationBatch;
  /** A batch was committed: what writing it made of the correlator's outputs. */
  committed(result: BatchResult): void;
};

/** A line read from a source, ready to be keyed and stored. */
export type PipelineLine = { raw: RawLine; decoded: DecodedLine; orderTs: number };

export type { ProgramTotals, Totals } from "./line-counts.ts";

/** How a source's reading relates to what an earlier run stored. */
export type Continuation =
  /** Resumed after the last stored line: continue its repeat counts. */
  | "resumed"
  /** A file never seen: continue the stream's last counts (a rotation cut inside a second). */
  | "new"
  /** Read again from its start: count from zero, so its lines get the keys they got before. */
  | "reread";

export type { SourceInfo } from "./pipeline-store.ts";

/** A source being read in this run. */
export type SourceHandle = {
  stored: StoredSource;
  totals: { read: number; fresh: number; known: number };
  progress: SourceProgress;
  repeats: RepeatCounter;
  /** An unterminated last line stored by an earlier run, replaced once it is complete. */
  unterminated: { lineId: number; key: Uint8Array; byteOffset: number } | undefined;
  /** Text of the last complete line pushed: hashed at commit to recognise the resume point later. */
  lastText: string | null;
  /** Has lines in the batch being filled. */
  touched: boolean;
};

export type PipelineOptions = {
  sink?: LineSink;
  now?: () => number;
  /** Lines per write batch. */
  batchLines?: number;
  /** Where SQLite is written: on this thread (default), or on a worker thread while this one reads and correlates. */
  writeThread?: "main" | "worker";
  hooks?: StoreHooks;
};

const DEFAULT_BATCH_LINES = 10_000;

/**
 * Keys lines, tells new lines from lines stored before, and hands them on in write batches: each
 * batch is one transaction holding the lines, each source's new position and what the sink made
 * of the lines, so a crash loses or repeats nothing. Batch ingest and live follow both write
 * through it.
 */
export class LinePipeline {
  private readonly counts = new LineCounts();
  readonly totals = this.counts.totals;
  readonly programs = this.counts.programs;
  private readonly streams = new Map<string, RepeatCounter>();
  private readonly writer: BatchWriter;
  private readonly seen: SeenKeys;
  private readonly now: () => number;
  private readonly columns: LineColumnsBuilder;
  private issues: WriteBatch["issues"] = [];
  private pushed = 0;
  private touched: SourceHandle[] = [];
  private replaced: { lineId: number; key: Uint8Array }[] = [];
  /** The batch being filled. */
  private seq = 1;
  private readonly batchLines: number;

  constructor(
    private readonly store: PipelineStore,
    private readonly options: PipelineOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.batchLines = options.batchLines ?? DEFAULT_BATCH_LINES;
    this.columns = new LineColumnsBuilder(store.nextLineId(), this.batchLines);
    const key = new Uint8Array(12);
    this.seen = new SeenKeys(store.newestStoredSecond(), (second, hash) => {
      writeLineKey(key, 0, second, hash);
      return store.isLineStored(key);
    });
    const committed = (seq: number, result: BatchResult) => {
      this.seen.committed(seq);
      // Lines another writer stored meanwhile (PostgreSQL decides at write time).
      if (result.known) {
        this.totals.fresh -= result.known;
        this.totals.known += result.known;
      }
      options.sink?.committed(result);
    };
    this.writer = store.writer(committed, options);
  }

  /** Finds or registers the source of a file (by its first line), noting where it is now. */
  async findOrCreate(info: SourceInfo): Promise<StoredSource> {
    return (await this.findOrCreateAll([info]))[0] as StoredSource;
  }

  /** findOrCreate for many files at once (DSPAM keeps a log per user: hundreds). */
  findOrCreateAll(infos: readonly SourceInfo[]): Promise<StoredSource[]> {
    return this.store.findOrCreateAll(infos, this.now());
  }

  /** Starts reading a source; the first source of a stream in this run decides where its repeat counts start. */
  open(stored: StoredSource, continuation: Continuation): SourceHandle {
    let repeats = this.streams.get(stored.stream);
    if (!repeats) {
      const snapshot: RepeatSnapshot | null =
        continuation === "resumed"
          ? stored.tailCounts
          : continuation === "new"
            ? this.store.latestRepeatSnapshot(stored.stream)
            : null;
      repeats = new RepeatCounter(snapshot);
      this.streams.set(stored.stream, repeats);
    }
    return {
      stored,
      totals: { read: 0, fresh: 0, known: 0 },
      progress: emptyProgress(stored),
      repeats,
      unterminated: this.store.findUnterminated(stored.id),
      lastText: null,
      touched: false,
    };
  }

  /** Keys a line (in the order lines are pushed: time order across files); a new one goes to the sink and into the next batch. */
  push(source: SourceHandle, line: PipelineLine): void {
    const { raw, decoded } = line;
    const identity = decoded.identity;
    const second = Math.floor(line.orderTs / 1000);
    const base = identityHash(identity);
    const hash = keyHash(identity, base, source.repeats.next(base, second));
    const fresh = this.seen.add(second, hash, this.seq);
    this.counts.count(source, line, fresh);
    if (!source.touched) {
      source.touched = true;
      this.touched.push(source);
    }
    this.pushed += 1;
    if (fresh) {
      const index = this.columns.add(
        source.stored.id,
        raw.lineNo,
        raw.byteOffset,
        decoded.ts ?? Number.NaN,
        decoded.event.kind,
        second,
        raw.text,
      );
      const keys = this.columns.keysOf();
      writeLineKey(keys, 12 * index, second, hash);
      const id = this.columns.idAt(index);
      const issue = issueOf(line);
      if (issue)
        this.issues.push({
          lineId: id,
          sourceId: source.stored.id,
          ...issue,
          key: keys.slice(12 * index, 12 * (index + 1)),
        });
      if (source.unterminated?.byteOffset === raw.byteOffset) {
        this.replaced.push(source.unterminated);
        source.unterminated = undefined;
      }
      this.options.sink?.line({ id, sourceId: source.stored.id, decoded, raw });
    }
    if (this.pushed >= this.batchLines) this.flush();
  }

  get pendingLines(): number {
    return this.pushed;
  }

  /** Hands the queued lines to the writer as one batch (written at once on this thread; queued on a write thread). */
  flush(): void {
    if (this.pushed === 0) return;
    this.pushed = 0;
    const sources: WriteBatch["sources"] = [];
    for (const source of this.touched) {
      source.touched = false;
      if (source.lastText !== null) source.progress.tailHash = lineTextHash(source.lastText);
      source.progress.tailCounts = source.repeats.snapshot();
      sources.push({ id: source.stored.id, progress: source.progress });
      source.progress = { ...emptyProgress(source.progress), tailCounts: null };
    }
    this.touched = [];
    const batch: WriteBatch = {
      seq: this.seq++,
      now: this.now(),
      lines: this.columns.take(),
      issues: this.issues,
      replaced: this.replaced,
      sources,
      correlation: this.options.sink?.batch() ?? null,
    };
    this.issues = [];
    this.replaced = [];
    this.writer.write(batch);
  }

  /** Hands over what is queued and lets the sink hand out its provisional state. */
  end(): void {
    this.flush();
    const sink = this.options.sink;
    if (!sink) return;
    this.writer.write({
      seq: this.seq++,
      now: this.now(),
      lines: null,
      issues: [],
      replaced: [],
      sources: [],
      correlation: sink.end(),
    });
  }

  /** Resolves when another batch may be filled (a write thread has room for it). */
  ready(): Promise<void> {
    return this.writer.ready();
  }

  /** Resolves when every batch handed over is committed. */
  settle(): Promise<void> {
    return this.writer.settle();
  }

  close(): Promise<void> {
    return this.writer.close();
  }
}

/** Why a line needs a human, if it does. */
function issueOf({ raw, decoded }: PipelineLine): { reason: string; detail: string | null } | undefined {
  if (!raw.terminated)
    return { reason: "unterminated", detail: "last line without a newline (may still be written)" };
  const event = decoded.event;
  let issue: { reason: string; detail: string | null } | undefined;
  if (event.kind === "unrecognised") issue = { reason: "unrecognised", detail: "no known log envelope" };
  else if (event.kind === "unparsed") issue = { reason: "unparsed", detail: event.reason };
  if (raw.issue)
    issue = {
      reason: raw.issue.reason,
      detail: issue ? `${raw.issue.detail}; ${issue.detail}` : raw.issue.detail,
    };
  return issue;
}
