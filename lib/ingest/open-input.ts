import { createHash } from "node:crypto";
import { constants, createReadStream, type Stats } from "node:fs";
import { open } from "node:fs/promises";
import { PassThrough, type Readable, Transform } from "node:stream";
import { createGunzip, constants as zlib } from "node:zlib";

/** A readable input (file or stdin), with its first bytes for sniffing and a way to read it from an offset. */
export type OpenedInput = {
  /** Absolute path, or "-" for stdin. */
  path: string;
  compressed: boolean;
  /** First bytes of the (decompressed) content. */
  head: Buffer;
  size: number;
  mtime: Date;
  inode: string | null;
  /**
   * Reads the decompressed content from `start`; `onBytes` reports raw (compressed) bytes consumed;
   * `chunkBytes` bounds what is read ahead (many files merged at once get small chunks).
   */
  read(start: number, onBytes?: (n: number) => void, chunkBytes?: number): AsyncIterable<Buffer>;
  /**
   * Set when compressed data turned out damaged (truncated, corrupt): where, and why. Reading ends
   * there as if the file ended, so what came before it is kept.
   */
  damage: string | null;
  /**
   * Lets the first bytes go once they have been sniffed and fingerprinted (`head` is empty then):
   * a run that merges thousands of files, as DSPAM keeps a log per user, holds none of them.
   */
  forgetHead(): void;
};

const HEAD_BYTES = 64 * 1024;
const READ_CHUNK = 1024 * 1024;
const NOTHING = Buffer.alloc(0);
// Decompressed in pieces this big: the most a corrupt stream loses before the damage is this.
const GUNZIP_CHUNK = 64 * 1024;
const isGzip = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
// Never blocks on a FIFO (open() waits for a writer otherwise); regular files read as usual.
const READ_FLAGS = constants.O_RDONLY | constants.O_NONBLOCK;

const KIND_OF: [(info: Stats) => boolean, string][] = [
  [(info) => info.isDirectory(), "a directory"],
  [(info) => info.isFIFO(), "a FIFO (named pipe)"],
  [(info) => info.isSocket(), "a socket"],
  [(info) => info.isCharacterDevice() || info.isBlockDevice(), "a device"],
];

/** Why a file system entry is not a regular file ("a FIFO (named pipe)"), or null when it is one. */
export function notRegular(info: Stats): string | null {
  if (info.isFile()) return null;
  return KIND_OF.find(([is]) => is(info))?.[1] ?? "not a regular file";
}

/** Opens a file for ingest; throws a readable error when it is missing, unreadable or not a regular file. */
export async function openFile(file: string): Promise<OpenedInput> {
  const handle = await open(file, READ_FLAGS);
  let raw: Buffer;
  let info: Stats;
  try {
    info = await handle.stat();
    const odd = notRegular(info);
    if (odd) throw new Error(`${odd}, not a log file`);
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    raw = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const size = info.size;
  const compressed = isGzip(raw);
  const prefix = compressed ? await gunzipPrefix(raw) : { head: raw, damage: null };
  // A small file is read whole with its head, then served from it.
  const small = !compressed && raw.length === size;
  let whole = small ? raw : undefined;
  const input: OpenedInput = {
    path: file,
    compressed,
    head: prefix.head,
    size,
    mtime: info.mtime,
    inode: `${info.dev}:${info.ino}`,
    damage: prefix.damage,
    read(start, onBytes, chunkBytes = READ_CHUNK) {
      // A file read whole with its head (DSPAM keeps one log per user: thousands, most of a line or
      // two) is served from it, or once the head is let go read piece by piece: no descriptor and
      // stream held open per file while the merge waits for its lines. Lines written after it was
      // opened are the next read's, as for any file.
      // Neither is wrapped in a stream: thousands of waiting files would each hold one.
      if (whole) return rest(whole.subarray(Math.min(start, size)), onBytes);
      // Small files get small buffers: memory stays bounded.
      const chunk = Math.min(chunkBytes, Math.max(4 * 1024, size - start));
      if (small) return piecesOf(file, start, size, chunk, onBytes);
      const stream = createReadStream(file, {
        start: compressed ? 0 : start,
        highWaterMark: chunk,
        // fs.open under it takes numeric flags too (the type says string only).
        flags: READ_FLAGS as unknown as string,
      });
      if (onBytes) stream.on("data", (chunk) => onBytes(chunk.length));
      if (!compressed) return stream;
      return gunzipUntilDamage(stream, start, (damage) => {
        input.damage = describeDamage(damage, size);
      });
    },
    forgetHead() {
      input.head = NOTHING;
      whole = undefined;
    },
  };
  return input;
}

async function* rest(bytes: Buffer, onBytes: ((n: number) => void) | undefined): AsyncGenerator<Buffer> {
  onBytes?.(bytes.length);
  yield bytes;
}

/**
 * The bytes of a file from `start` to `end`, `chunk` at a time, each read with a descriptor of its
 * own. The next piece is read while this one's lines are merged: the merge waits for the file that
 * holds its oldest line, and thousands of small files each waiting for a read left the main thread
 * idle a tenth of the time.
 */
async function* piecesOf(
  file: string,
  start: number,
  end: number,
  chunk: number,
  onBytes: ((n: number) => void) | undefined,
): AsyncGenerator<Buffer> {
  let next: Promise<Buffer> | undefined = readPiece(file, start, Math.min(chunk, end - start));
  for (let at = start; next; ) {
    const piece: Buffer = await next;
    // Shorter than when it was opened (truncated meanwhile): what is there is all there is.
    if (piece.length === 0) return;
    at += piece.length;
    next = at < end ? readPiece(file, at, Math.min(chunk, end - at)) : undefined;
    onBytes?.(piece.length);
    yield piece;
  }
}

/** `length` bytes of a file at `at` (fewer at its end); a failure is thrown when the piece is awaited. */
function readPiece(file: string, at: number, length: number): Promise<Buffer> {
  const piece = (async () => {
    const handle = await open(file, READ_FLAGS);
    try {
      const buffer = Buffer.allocUnsafe(length);
      const { bytesRead } = await handle.read(buffer, 0, length, at);
      return buffer.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  })();
  // Read ahead and never awaited when the merge stops early: not an unhandled rejection.
  piece.catch(() => {});
  return piece;
}

/** Wraps stdin: sniffs its first bytes, then replays them in front of the rest. */
export async function openStdin(stdin: Readable = process.stdin): Promise<OpenedInput> {
  const chunks: Buffer[] = [];
  let length = 0;
  const iterator = stdin[Symbol.asyncIterator]();
  while (length < HEAD_BYTES) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
    chunks.push(chunk);
    length += chunk.length;
  }
  const raw = Buffer.concat(chunks);
  const compressed = isGzip(raw);
  let used = false;
  const prefix = compressed ? await gunzipPrefix(raw) : { head: raw, damage: null };
  const input: OpenedInput = {
    path: "-",
    compressed,
    head: prefix.head,
    size: 0,
    mtime: new Date(),
    inode: null,
    damage: prefix.damage,
    read(start, onBytes) {
      if (used || start !== 0) throw new Error("stdin can be read only once, from the start");
      used = true;
      const out = new PassThrough({ highWaterMark: READ_CHUNK });
      (async () => {
        onBytes?.(raw.length);
        out.write(raw);
        for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
          const chunk = Buffer.isBuffer(next.value) ? next.value : Buffer.from(next.value);
          onBytes?.(chunk.length);
          if (!out.write(chunk)) await new Promise((resolve) => out.once("drain", resolve));
        }
        out.end();
      })().catch((error: unknown) => out.destroy(error as Error));
      if (!compressed) return out;
      return gunzipUntilDamage(out, 0, (damage) => {
        input.damage = describeDamage(damage, null);
      });
    },
    // What stdin delivered first is replayed by read(): only the field lets it go.
    forgetHead() {
      input.head = NOTHING;
    },
  };
  return input;
}

type Damage = { error: Error; offset: number };

/** "unexpected end of file in the compressed data after byte 40,960 of 40,960" */
function describeDamage({ error, offset }: Damage, size: number | null): string {
  const of = size === null ? "" : ` of ${size.toLocaleString("en-US")}`;
  return `${error.message} in the compressed data after byte ${offset.toLocaleString("en-US")}${of}`;
}

/**
 * Decompresses `compressed` from its start and delivers the content from `start` on. Damaged data
 * (truncated, corrupt) ends the content where it starts, as zcat does, and is reported through
 * `onDamage` with the compressed bytes read before it; a failing read still fails the stream.
 */
function gunzipUntilDamage(
  compressed: Readable,
  start: number,
  onDamage: (damage: Damage) => void,
): Readable {
  const gunzip = createGunzip({ chunkSize: GUNZIP_CHUNK });
  const out = skipBytes(start);
  compressed.on("error", (error) => out.destroy(error));
  gunzip.on("error", (error) => {
    onDamage({ error, offset: gunzip.bytesWritten });
    compressed.destroy();
    out.end();
  });
  // A reader that stops early (a resume check reads one line) ends the stages before it.
  out.on("close", () => {
    compressed.destroy();
    gunzip.destroy();
  });
  compressed.pipe(gunzip).pipe(out);
  return out;
}

// Decompresses as much of a gzip prefix as the bytes allow: the end of the prefix is expected, damage
// inside it is reported with the content before it.
function gunzipPrefix(raw: Buffer): Promise<{ head: Buffer; damage: string | null }> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    const gunzip = createGunzip({ finishFlush: zlib.Z_SYNC_FLUSH, chunkSize: GUNZIP_CHUNK });
    const head = () => Buffer.concat(chunks).subarray(0, HEAD_BYTES);
    gunzip.on("data", (chunk: Buffer) => chunks.push(chunk));
    gunzip.on("end", () => resolve({ head: head(), damage: null }));
    gunzip.on("error", (error) =>
      resolve({ head: head(), damage: describeDamage({ error, offset: gunzip.bytesWritten }, null) }),
    );
    gunzip.end(raw);
  });
}

function skipBytes(count: number): Transform {
  let left = count;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      if (left <= 0) return done(null, chunk);
      if (chunk.length <= left) {
        left -= chunk.length;
        return done();
      }
      const rest = chunk.subarray(left);
      left = 0;
      done(null, rest);
    },
  });
}

/**
 * NOTE: persisted (Source.fingerprint). A source's identity is its first line, so a renamed or
 * compressed copy is recognised; a file without a complete first line is identified by its bytes.
 */
export function fingerprintOf(head: Buffer): string | null {
  if (head.length === 0) return null;
  const newline = head.indexOf(0x0a);
  const first = newline === -1 ? head : head.subarray(0, newline);
  return createHash("sha1").update(first).digest("hex");
}
