import { fstatSync } from "node:fs";
import path from "node:path";
import Tail from "tail-file";

/** What a followed file reports; lines are the file's own bytes, without the newline. */
export type TailListener = {
  /** A file was opened (at start and after each restart): its identity (dev:ino) and size. */
  ready(inode: string, size: number): void;
  line(bytes: Buffer): void;
  /** Reading goes on in a new file from its start: the old one was renamed away, or truncated in place. */
  restart(reason: "rotated" | "truncated"): void;
  /** Everything written so far was read; `size` is the end of the file. */
  eof(size: number): void;
  /** tail-file gave up on the file (it stops on any error); the caller decides when to try again. */
  error(error: Error): void;
};

type TailInternals = Tail & Record<string, unknown>;

const STOP_WAIT_MS = 2000;

/**
 * Follows one file with tail-file (rename rotation with late writes, copytruncate, fs.watch), in
 * bytes: the text is decoded as latin1, one char per byte, so tail-file's positions are byte offsets
 * and each line's bytes come back unchanged for Spamtrail's own decoding (bad UTF-8, NULs, CR).
 */
export class FileTail {
  private readonly tail: Tail;
  private live = true;
  private paused = false;
  private readWanted = false;

  constructor(
    readonly file: string,
    startOffset: number,
    private readonly listener: TailListener,
  ) {
    const self = this;
    // tail-file lets options replace its internals; two are replaced here (version pinned in package.json).
    this.tail = new Tail(file, {
      encoding: "latin1",
      startPos: startOffset,
      _bufsize: 64 * 1024,
      // A numeric start is a char count tail-file skips after re-reading from byte 0; with latin1 it
      // is a byte offset, so reading can start right there.
      setCharPos(this: TailInternals, position: number | "start") {
        const at = position === "start" ? 0 : position;
        Object.assign(this, { pos: at, posLast: at, posNext: at, posSkip: 0, startPos: at, txt: "" });
      },
      // Pausing skips the next read (lines already buffered, at most 64 KiB, still arrive). A file
      // not opened yet is opened all the same: tail-file's start (and its stop) wait for "ready".
      readStuff(this: Tail) {
        if (self.paused && typeof this.fd === "number") {
          self.readWanted = true;
          return;
        }
        Tail.prototype.readStuff.call(this);
      },
    });
    this.tail.on("ready", (fd: number) => this.onReady(fd));
    this.tail.on("line", (text: string) => {
      if (this.live) listener.line(Buffer.from(text, "latin1"));
    });
    this.tail.on("restart", (reason: string) => {
      if (this.live) listener.restart(reason === "TRUNCATE" ? "truncated" : "rotated");
    });
    this.tail.on("eof", (size: number) => {
      if (this.live) listener.eof(size);
    });
    // Without an error listener tail-file throws; after stop() errors are of no interest.
    this.tail.on("error", (error: Error) => {
      if (!this.live) return;
      this.live = false;
      listener.error(error);
    });
    this.tail.start();
  }

  /** Stops reading new bytes (back-pressure while the database catches up). */
  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    if (!this.readWanted || !this.live) return;
    this.readWanted = false;
    this.tail.readStuff();
  }

  /** Reads whatever was appended, in case a file system event was missed (network file systems). */
  poke(): void {
    if (this.live && typeof this.tail.fd === "number") this.tail.checkDir("change", path.basename(this.file));
  }

  /** Stops following; nothing is reported afterwards. */
  async stop(): Promise<void> {
    this.live = false;
    this.paused = false;
    // tail-file's stop waits for a start under way to finish; it must not keep follow from stopping.
    let timer: NodeJS.Timeout | undefined;
    const stopped = await Promise.race([
      this.tail.stop().then(
        () => true,
        () => true,
      ),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), STOP_WAIT_MS);
      }),
    ]);
    clearTimeout(timer);
    this.disarm(stopped);
  }

  /**
   * Makes the stopped tail inert: a start tail-file had under way (or begins from a stat answered
   * late) would open a directory watcher nobody closes, and keep the process alive.
   */
  private disarm(stopped: boolean): void {
    const internals = this.tail as TailInternals & { watcher?: { close(): void } | null; _stop(): void };
    const inert = () => undefined;
    Object.assign(internals, { start: inert, tryTail: inert, startTail: inert, readStuff: inert });
    internals.watcher?.close();
    internals.watcher = null;
    if (!stopped) internals._stop();
  }

  private onReady(fd: number): void {
    if (!this.live) return;
    // With the file missing, tail-file falls back to reading file.1: not what the offset refers to.
    if (this.tail.started !== this.file) {
      this.live = false;
      void this.tail.stop().catch(() => undefined);
      this.listener.error(Object.assign(new Error(`${this.file}: no such file`), { code: "ENOENT" }));
      return;
    }
    const info = fstatSync(fd);
    this.listener.ready(`${info.dev}:${info.ino}`, info.size);
  }
}
