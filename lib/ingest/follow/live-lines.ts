import { MinHeap } from "../../core/min-heap.ts";
import { streamOf } from "../file-kind.ts";
import type { LinePipeline, PipelineLine, SourceHandle } from "../line-pipeline.ts";
import { fingerprintOf } from "../open-input.ts";
import { sniff } from "../sniff.ts";
import type { Follower } from "./follower.ts";
import { continuingYears, LineDecoder, type LiveSegment } from "./live-segment.ts";

export type LiveContext = {
  pipeline: LinePipeline;
  followers: ReadonlyMap<string, Follower>;
  year: number | undefined;
  now(): number;
  flushMs: number;
  /** Commits the pipeline, noting the sources read (id → file size). */
  commit(seen: ReadonlyMap<number, number>): void;
  /** Reads the rest of a file tail-file left behind (rotated or truncated). */
  finish(follower: Follower, segment: LiveSegment): Promise<void>;
  /** Runs the drain between other database work. */
  exclusive(work: () => Promise<void>): Promise<void>;
  fail(error: unknown): void;
};

type Queued = { source: SourceHandle; line: PipelineLine };

// Back-pressure: tails stop reading while this many lines wait, and go on below the lower mark.
const PAUSE_AT = 100_000;
const RESUME_BELOW = 20_000;
const NEWLINE = Buffer.from("\n");

/**
 * The lines tail-file delivers, written in batches: at most `flushMs` after a line arrived, every
 * file's new lines are decoded, merged in time order and committed in one transaction. A file
 * left for a new one is finished (from its rotated copy) before the new file's lines go in.
 */
export class LiveLines {
  stopping = false;
  private pending = 0;
  private oldest = 0;
  private timer: NodeJS.Timeout | undefined;
  private paused = false;

  constructor(private readonly ctx: LiveContext) {}

  /** A line (or a rotation) arrived from a tail. */
  arrived(): void {
    this.pending += 1;
    if (this.oldest === 0) this.oldest = this.ctx.now();
    if (this.pending >= PAUSE_AT && !this.paused) this.pause(true);
    this.schedule();
  }

  /** Writes everything delivered so far, now. */
  async settle(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.ctx.exclusive(() => this.drain());
  }

  /** Decodes, merges and commits the pending lines; call only through ctx.exclusive. */
  async drain(): Promise<void> {
    for (;;) {
      const lists: Queued[][] = [];
      const ended: [Follower, LiveSegment][] = [];
      const seen = new Map<number, number>();
      for (const follower of this.ctx.followers.values()) {
        for (const segment of follower.segments) {
          const lines = await this.decode(follower, segment);
          if (lines.length > 0 && segment.source) {
            lists.push(lines);
            seen.set(segment.source.stored.id, Math.max(segment.size, segment.offset));
          }
          // A newer file's lines wait until the rest of this one is read.
          if (segment.ended) {
            ended.push([follower, segment]);
            break;
          }
        }
      }
      if (lists.length > 0) {
        pushInTimeOrder(this.ctx.pipeline, lists);
        this.ctx.commit(seen);
      }
      if (ended.length === 0) break;
      for (const [follower, segment] of ended) {
        await this.ctx.finish(follower, segment);
        follower.segments = follower.segments.filter((s) => s !== segment);
      }
    }
    this.pending = 0;
    for (const follower of this.ctx.followers.values()) this.pending += follower.pendingLines;
    this.oldest = this.pending > 0 ? this.ctx.now() : 0;
    if (this.paused && this.pending < RESUME_BELOW) this.pause(false);
  }

  private schedule(): void {
    if (this.timer || this.stopping) return;
    const delay = Math.max(0, this.ctx.flushMs - (this.ctx.now() - this.oldest));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.ctx
        .exclusive(() => this.drain())
        .then(() => {
          if (this.pending > 0) this.schedule();
        })
        .catch((error: unknown) => this.ctx.fail(error));
    }, delay);
  }

  private pause(paused: boolean): void {
    this.paused = paused;
    for (const follower of this.ctx.followers.values()) {
      if (paused) follower.tail?.pause();
      else follower.tail?.resume();
    }
  }

  private async decode(follower: Follower, segment: LiveSegment): Promise<Queued[]> {
    const raws = await segment.take();
    if (raws.length === 0) return [];
    const source = segment.source ?? (await this.identify(follower, segment));
    segment.decoder ??= new LineDecoder(
      follower.kind ?? "syslog",
      follower.dspamUser,
      continuingYears(follower.lastTs, this.ctx.year, this.ctx.now()),
      // Like batch ingest: a file read from its start has no time before its first line.
      raws[0]?.byteOffset === 0 ? 0 : (follower.lastTs ?? 0),
    );
    const decoder = segment.decoder;
    const queued: Queued[] = [];
    for (const raw of raws) {
      const line = decoder.decode(raw);
      if (line) queued.push({ source, line });
    }
    if (decoder.lastTs > 0) follower.lastTs = Math.max(follower.lastTs ?? 0, decoder.lastTs);
    return queued;
  }

  /** A file read from its start: its first line names its source, its first lines tell its kind. */
  private async identify(follower: Follower, segment: LiveSegment): Promise<SourceHandle> {
    const head = Buffer.concat(segment.head.flatMap((bytes) => [bytes, NEWLINE]));
    segment.head = [];
    segment.fingerprint = fingerprintOf(head) as string;
    if (!follower.kind) {
      const sniffed = sniff(head, follower.path);
      follower.kind = sniffed.verdict === "log" ? sniffed.kind : "syslog";
      follower.dspamUser = sniffed.verdict === "log" ? sniffed.dspamUser : undefined;
    }
    const pipeline = this.ctx.pipeline;
    const stored = await pipeline.findOrCreate({
      fingerprint: segment.fingerprint,
      path: follower.path,
      stream: streamOf(follower.path),
      kind: follower.kind,
      dspamUser: follower.dspamUser ?? null,
      compressed: false,
      inode: segment.inode,
      size: Math.max(segment.size, segment.offset),
    });
    segment.source = pipeline.open(stored, stored.offset === 0 ? "new" : "reread");
    return segment.source;
  }
}

/** Pushes each file's lines in file order, interleaved by time across files (as batch ingest merges). */
function pushInTimeOrder(pipeline: LinePipeline, lists: Queued[][]): void {
  type Cursor = { list: Queued[]; index: number; order: number };
  const ts = (c: Cursor) => (c.list[c.index] as Queued).line.orderTs;
  const heap = new MinHeap<Cursor>((a, b) => ts(a) < ts(b) || (ts(a) === ts(b) && a.order < b.order));
  lists.forEach((list, order) => {
    heap.push({ list, index: 0, order });
  });
  while (heap.size > 0) {
    const cursor = heap.pop() as Cursor;
    const { source, line } = cursor.list[cursor.index] as Queued;
    pipeline.push(source, line);
    cursor.index += 1;
    if (cursor.index < cursor.list.length) heap.push(cursor);
  }
}
