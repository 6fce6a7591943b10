import type { FileKind } from "../file-kind.ts";
import { FileTail } from "./file-tail.ts";
import { LiveSegment } from "./live-segment.ts";
import type { FileRead } from "./read-files.ts";

/** What a follower tells the engine. */
export type FollowerEvents = {
  lines(follower: Follower): void;
  /** tail-file moved on to a new file; the old one is finished from where it now lives. */
  restarted(follower: Follower, reason: "rotated" | "truncated"): void;
  /** The file found at start is not the one read up to now (replaced in between): read again. */
  replaced(follower: Follower): void;
  failed(follower: Follower, error: Error): void;
};

/** A rotated file watched for a while for lines its writer adds after the rotation. */
export type LateWrites = { path: string; inode: string; size: number; until: number };

/** One followed path (/var/log/mail.log): the file there now, the ones it replaced, and its tail. */
export class Follower {
  kind: FileKind | undefined;
  dspamUser: string | undefined;
  /** Files read live, oldest first: the last is the file at the path, the others were rotated away. */
  segments: LiveSegment[] = [];
  tail: FileTail | undefined;
  /** Time of the newest line read from this path's files (the next file continues its year). */
  lastTs: number | null = null;
  lateWrites: LateWrites[] = [];
  /** Consecutive failures to open the path (retries back off). */
  failures = 0;
  retry: NodeJS.Timeout | undefined;
  private expectedInode: string | null = null;

  constructor(
    readonly path: string,
    readonly explicit: boolean,
    private readonly events: FollowerEvents,
  ) {}

  get pendingLines(): number {
    return this.segments.reduce((sum, segment) => sum + segment.pendingLines, 0);
  }

  /** Follows the path from where `from` stopped reading it. */
  startTail(from: FileRead): void {
    const segment = new LiveSegment(from.offset, from.lineNo);
    segment.source = from.source;
    segment.fingerprint = from.fingerprint;
    segment.size = from.size;
    this.kind ??= from.kind;
    this.dspamUser ??= from.dspamUser;
    if (from.lastTs !== null) this.lastTs = from.lastTs;
    this.segments = [segment];
    this.expectedInode = from.inode;
    const current = () => this.segments.at(-1) as LiveSegment;
    this.tail = new FileTail(this.path, from.offset, {
      ready: (inode, size) => {
        const segment = current();
        if (segment.inode === null) {
          if (this.expectedInode !== null && inode !== this.expectedInode) {
            void this.stopTail();
            this.events.replaced(this);
            return;
          }
          segment.inode = inode;
          this.expectedInode = null;
        }
        segment.size = Math.max(segment.size, size);
        this.failures = 0;
      },
      line: (bytes) => {
        current().add(bytes);
        this.events.lines(this);
      },
      restart: (reason) => {
        current().ended = reason;
        this.segments.push(new LiveSegment(0, 1));
        this.events.restarted(this, reason);
      },
      eof: (size) => {
        current().size = size;
      },
      error: (error) => {
        this.tail = undefined;
        this.events.failed(this, error);
      },
    });
  }

  async stopTail(): Promise<void> {
    const tail = this.tail;
    this.tail = undefined;
    clearTimeout(this.retry);
    await tail?.stop();
  }
}
