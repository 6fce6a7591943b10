import { MinHeap } from "../../core/min-heap.ts";
import { type FileKind, streamOf } from "../file-kind.ts";
import type { Continuation, LinePipeline, SourceHandle } from "../line-pipeline.ts";
import { fingerprintOf, type OpenedInput, openFile } from "../open-input.ts";
import { sniff } from "../sniff.ts";
import { type CursorLine, SourceCursor } from "../source-cursor.ts";

/** A file to read up to its current end. */
export type ReadRequest = { path: string; kind?: FileKind; dspamUser?: string; explicit?: boolean };

/** Where reading a file stopped: what live following continues from. */
export type FileRead = {
  path: string;
  inode: string | null;
  size: number;
  /** Undefined when the file has no complete first line yet (nothing to identify it by). */
  source: SourceHandle | undefined;
  fingerprint: string | undefined;
  kind: FileKind | undefined;
  dspamUser: string | undefined;
  /** End of the last complete line read (a line still being written is left for later). */
  offset: number;
  lineNo: number;
  /** Time of the newest line read. */
  lastTs: number | null;
  read: number;
  /** Why the file was not read. */
  problem?: string;
};

type Active = { cursor: SourceCursor; read: FileRead; order: number };

/**
 * Reads files from where the store says they were left (or from their start) to their current end,
 * merged in time order like batch ingest, through the shared pipeline. Start-up catch-up, the rest
 * of a rotated file and late writes to it all come through here.
 */
export async function readFiles(
  pipeline: LinePipeline,
  requests: readonly ReadRequest[],
  options: { year?: number } = {},
): Promise<FileRead[]> {
  const reads: FileRead[] = [];
  const actives: Active[] = [];
  for (const [order, request] of requests.entries()) {
    let input: OpenedInput;
    try {
      input = await openFile(request.path);
    } catch (error) {
      reads.push({ ...unread(request, null, 0), problem: (error as Error).message });
      continue;
    }
    const read = unread(request, input.inode, input.size);
    reads.push(read);
    const sniffed = sniff(input.head, request.path);
    if (sniffed.verdict === "binary") {
      read.problem = "binary file, not a log";
      continue;
    }
    if (input.damage && input.head.length === 0) {
      read.problem = `damaged, nothing readable: ${input.damage}`;
      continue;
    }
    // Without a complete first line the file cannot be identified yet: the tail reads it from 0.
    if (input.head.indexOf(0x0a) === -1) continue;
    if (request.kind === undefined) {
      read.kind = sniffed.verdict === "log" ? sniffed.kind : "syslog";
      read.dspamUser = sniffed.verdict === "log" ? sniffed.dspamUser : undefined;
    }
    const kind = read.kind as FileKind;
    read.fingerprint = fingerprintOf(input.head) ?? undefined;
    const stored = await pipeline.findOrCreate({
      fingerprint: read.fingerprint as string,
      path: request.path,
      stream: streamOf(request.path),
      kind,
      dspamUser: read.dspamUser ?? null,
      compressed: input.compressed,
      inode: input.inode,
      size: input.size,
    });
    const cursor = new SourceCursor(input, stored, { kind, dspamUser: read.dspamUser, year: options.year });
    await cursor.prepare();
    const continuation: Continuation =
      cursor.skippedLines > 0 ? "resumed" : stored.offset === 0 ? "new" : "reread";
    read.source = pipeline.open(stored, continuation);
    if (cursor.skippedLines > 0) {
      read.offset = stored.offset;
      read.lineNo = stored.nextLineNo;
      read.lastTs = stored.lastTs;
    }
    actives.push({ cursor, read, order });
  }

  const heap = new MinHeap<Active>((a, b) => {
    const x = a.cursor.peek()?.orderTs ?? 0;
    const y = b.cursor.peek()?.orderTs ?? 0;
    return x < y || (x === y && a.order < b.order);
  });
  for (const active of actives) if (await active.cursor.refill()) heap.push(active);
  while (heap.size > 0) {
    const active = heap.pop() as Active;
    const line = active.cursor.take() as CursorLine;
    // A last line still being written is left to the tail, which delivers it once complete.
    if (line.raw.terminated) {
      pipeline.push(active.read.source as SourceHandle, line);
      active.read.offset = line.raw.endOffset;
      active.read.lineNo = line.raw.lineNo + 1;
      active.read.read += 1;
      if (line.decoded.ts !== null) active.read.lastTs = line.decoded.ts;
    }
    if (active.cursor.peek() || (await active.cursor.refill())) heap.push(active);
  }
  for (const { cursor, read } of actives) if (cursor.input.damage) read.problem = cursor.input.damage;
  return reads;
}

function unread(request: ReadRequest, inode: string | null, size: number): FileRead {
  return {
    path: request.path,
    inode,
    size,
    source: undefined,
    fingerprint: undefined,
    kind: request.kind,
    dspamUser: request.dspamUser,
    offset: 0,
    lineNo: 1,
    lastTs: null,
    read: 0,
  };
}
