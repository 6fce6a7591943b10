// tail-file 1.4.16 ships no types: the part Spamtrail uses (lib/ingest/follow/file-tail.ts).
declare module "tail-file" {
  import { EventEmitter } from "node:events";

  type TailOptions = {
    encoding?: BufferEncoding;
    /** "start", "end" or a char position (a byte position with encoding latin1). */
    startPos?: "start" | "end" | number;
    force?: boolean;
    sep?: string | RegExp;
    _bufsize?: number;
    // Internals may be replaced through the options (the module documents this).
    [internal: string]: unknown;
  };

  class Tail extends EventEmitter {
    constructor(filename: string, options?: TailOptions);
    filename: string;
    /** The file being read (the primary, or a secondary it fell back to). */
    started: string | null;
    /** Byte position read so far (includes a buffered partial line). */
    pos: number | "init";
    posNext: number;
    fd: number | "init" | undefined;
    ino: number | null;
    start(filename?: string): void;
    stop(): Promise<boolean>;
    readStuff(): void;
    checkDir(type: string, name: string): void;
  }

  export default Tail;
}
