import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { PassThrough, pipeline, type Readable, Transform } from "node:stream";
import { createGunzip, gunzipSync } from "node:zlib";

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
  /** Reads the decompressed content from `start`; `onBytes` reports raw (compressed) bytes consumed. */
  read(start: number, onBytes?: (n: number) => void): Readable;
};

const HEAD_BYTES = 64 * 1024;
const READ_CHUNK = 1024 * 1024;
const isGzip = (bytes: Buffer) => bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;

/** Opens a file for ingest; throws a readable error when it is missing or unreadable. */
export async function openFile(file: string): Promise<OpenedInput> {
  const info = await stat(file);
  const handle = await open(file, "r");
  let raw: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(HEAD_BYTES, info.size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    raw = buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
  const compressed = isGzip(raw);
  const head = compressed ? gunzipHead(raw) : raw;
  return {
    path: file,
    compressed,
    head,
    size: info.size,
    mtime: info.mtime,
    inode: `${info.dev}:${info.ino}`,
    read(start, onBytes) {
      // Small files (DSPAM keeps one log per user: hundreds) get small buffers: memory stays bounded.
      const chunk = Math.min(READ_CHUNK, Math.max(16 * 1024, info.size - start));
      const stream = createReadStream(file, { start: compressed ? 0 : start, highWaterMark: chunk });
      if (onBytes) stream.on("data", (chunk) => onBytes(chunk.length));
      if (!compressed) return stream;
      // pipeline() destroys every stage when the reader stops early or one stage fails.
      return pipeline(stream, createGunzip({ chunkSize: READ_CHUNK }), skipBytes(start), () => {});
    },
  };
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
  return {
    path: "-",
    compressed,
    head: compressed ? gunzipHead(raw) : raw,
    size: 0,
    mtime: new Date(),
    inode: null,
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
      return compressed ? out.pipe(createGunzip()) : out;
    },
  };
}

// Decompresses as much of a gzip prefix as the bytes allow (a truncated stream is expected here).
function gunzipHead(raw: Buffer): Buffer {
  try {
    return gunzipSync(raw, { finishFlush: 2 /* Z_SYNC_FLUSH */ }).subarray(0, HEAD_BYTES);
  } catch {
    return Buffer.alloc(0);
  }
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
