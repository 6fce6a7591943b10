import { mapLimited } from "../core/map-limited.ts";
import { MinHeap } from "../core/min-heap.ts";
import type { Db } from "../db/connection.ts";
import type { StoredSource } from "../store/sources.ts";
import type { StoreHooks } from "../store/sqlite-batch-store.ts";
import { SqlitePipelineStore } from "../store/sqlite-pipeline-store.ts";
import { discover, InputError } from "./discover.ts";
import { type FileKind, rotationAge, streamOf } from "./file-kind.ts";
import {
  type Continuation,
  LinePipeline,
  type LineSink,
  type ProgramTotals,
  type SourceHandle,
  type Totals,
} from "./line-pipeline.ts";
import { fingerprintOf, type OpenedInput, openFile, openStdin } from "./open-input.ts";
import type { PipelineStore } from "./pipeline-store.ts";
import { sniff } from "./sniff.ts";
import { type CursorLine, SourceCursor } from "./source-cursor.ts";

export type IngestProgress = { bytes: number; totalBytes: number; lines: number; startedAt: number };

export type IngestOptions = {
  year?: number;
  kind?: FileKind;
  /** Lines per write transaction. */
  batchLines?: number;
  /**
   * Where SQLite is written: "worker" on a thread of its own while this one reads and correlates
   * (both cores), "main" on this thread. By default "worker" for inputs of 16 MiB and more.
   */
  writeThread?: "main" | "worker";
  now?: () => number;
  onProgress?: (progress: IngestProgress) => void;
  /** Gets the new lines of each write batch (what it returns is written with them), then a last call when input ends. */
  sink?: LineSink;
  stdin?: NodeJS.ReadableStream;
  /** Called inside each write transaction (tests: a crash half-way through an ingest). */
  hooks?: StoreHooks;
};

export type FileReport = {
  path: string;
  kind: FileKind;
  sourceId: number;
  read: number;
  fresh: number;
  known: number;
  /** Lines not read again because an earlier run stored them (resumed after them). */
  skipped: number;
  restarted: boolean;
};

export type IngestSummary = {
  files: FileReport[];
  skipped: { path: string; reason: string }[];
  /** Compressed files read up to damage in them (the lines before it are stored). */
  damaged: { path: string; reason: string }[];
  programs: Map<string, ProgramTotals>;
  totals: Totals;
  bytes: number;
  elapsedMs: number;
};

// Files opened, sniffed and first read at the same time (each waits on the file system in turn otherwise).
const OPEN_AT_ONCE = 16;

// Below this much input a write thread's start-up costs more than it saves.
const WORKER_FROM_BYTES = 16 * 1024 * 1024;

/** A file to read: opened, sniffed, identified by its first line. */
type Input = { input: OpenedInput; fingerprint: string; kind: FileKind; dspamUser?: string };

type Active = {
  cursor: SourceCursor;
  source: SourceHandle;
  /** Tie-break for lines of the same millisecond: older rotations of a stream first. */
  order: number;
  /** Time of its next line (the merge's key). */
  next: number;
  path: string;
  kind: FileKind;
};

/** Ingests files, directories and stdin into the database; idempotent, resumable, time-ordered across inputs. */
export async function ingest(
  target: Db | PipelineStore,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const store = "prepare" in target ? new SqlitePipelineStore(target) : target;
  const now = options.now ?? Date.now;
  const startedAt = now();
  const found = await discover(paths);
  const skipped: IngestSummary["skipped"] = [...found.skipped];
  const inputs: Input[] = [];

  const files = [
    ...found.explicit.map((f) => [f, true] as const),
    ...found.found.map((f) => [f, false] as const),
  ];
  // Each file's first bytes are sniffed and fingerprinted as it is opened, then let go: thousands
  // of DSPAM user logs (each read whole with its head) are never all in memory at once, and their
  // freed buffers do not leave the allocator's heap grown for the rest of the run.
  const opened = await mapLimited(files, OPEN_AT_ONCE, async ([file]) => {
    let input: OpenedInput;
    try {
      input = file === "-" ? await openStdin(options.stdin as never) : await openFile(file);
    } catch (error) {
      return error as Error;
    }
    const head = {
      sniffed: sniff(input.head, file),
      fingerprint: fingerprintOf(input.head) ?? `empty:${input.path}`,
      nothingReadable: input.head.length === 0,
    };
    input.forgetHead();
    return { input, ...head };
  });
  for (const [index, [file, explicit]] of files.entries()) {
    const result = opened[index] as Exclude<(typeof opened)[number], undefined>;
    if (result instanceof Error) {
      if (explicit) throw new InputError(`${file}: ${result.message}`);
      skipped.push({ path: file, reason: `not readable: ${result.message}` });
      continue;
    }
    const { input, sniffed, fingerprint } = result;
    if (input.damage && result.nothingReadable) {
      skipped.push({ path: file, reason: `damaged, nothing readable: ${input.damage}` });
      continue;
    }
    if (sniffed.verdict === "binary" || sniffed.verdict === "empty") {
      skipped.push({
        path: file,
        reason: sniffed.verdict === "binary" ? "binary file, not a log" : "empty file",
      });
      continue;
    }
    if (sniffed.verdict === "not-a-log" && !explicit && !options.kind) {
      skipped.push({ path: file, reason: "no line looks like a log line" });
      continue;
    }
    const kind = options.kind ?? (sniffed.verdict === "log" ? sniffed.kind : "syslog");
    const dspamUser = sniffed.verdict === "log" ? sniffed.dspamUser : undefined;
    inputs.push({ input, fingerprint, kind, dspamUser });
  }

  const totalBytes = inputs.reduce((sum, { input }) => sum + input.size, 0);
  const writeThread = options.writeThread ?? (totalBytes >= WORKER_FROM_BYTES ? "worker" : "main");
  store.beginIngest(writeThread, now());
  const pipeline = new LinePipeline(store, {
    sink: options.sink,
    now,
    writeThread,
    batchLines: options.batchLines,
    hooks: options.hooks,
  });
  try {
    return await readAll(pipeline, inputs, skipped, { ...options, now, startedAt, totalBytes });
  } finally {
    await pipeline.close();
    store.endIngest();
  }
}

// What the merge holds at once, over all files: about the same however many files (DSPAM: one per
// user). Each file gets its share by size, so that the maillog is read in big chunks and the many
// small files in small ones (a share by count read a month's maillog 20 KiB at a time). Decoded
// lines waiting in the merge outlive the young generation's collections, which copy them each
// time: a few thousand keep that cheap (20,000 spent a fifth of the main thread in the collector).
const READ_AHEAD_LINES = 4000;
const READ_AHEAD_BYTES = 16 * 1024 * 1024;

function readAhead(size: number, totalBytes: number, files: number) {
  // Compressed or unknown sizes (stdin) count as an equal share.
  const share = totalBytes > 0 && size > 0 ? size / totalBytes : 1 / files;
  return {
    batchSize: Math.max(4, Math.min(250, Math.floor(READ_AHEAD_LINES * share))),
    chunkBytes: Math.max(4096, Math.min(1024 * 1024, Math.floor(READ_AHEAD_BYTES * share))),
  };
}

async function readAll(
  pipeline: LinePipeline,
  inputs: Input[],
  skipped: IngestSummary["skipped"],
  options: IngestOptions & { now: () => number; startedAt: number; totalBytes: number },
): Promise<IngestSummary> {
  const { now, startedAt, totalBytes } = options;
  const progressState: IngestProgress = { bytes: 0, totalBytes, lines: 0, startedAt };
  const onBytes = (n: number) => {
    progressState.bytes += n;
  };

  inputs.sort((a, b) => rotationAge(b.input.path) - rotationAge(a.input.path));
  const actives: Active[] = [];
  const sources = await pipeline.findOrCreateAll(
    inputs.map(({ input, fingerprint, kind, dspamUser }) => ({
      fingerprint,
      path: input.path,
      stream: streamOf(input.path),
      kind,
      dspamUser: dspamUser ?? null,
      compressed: input.compressed,
      inode: input.inode,
      size: input.size,
    })),
  );
  const cursors = inputs.map(
    ({ input, kind, dspamUser }, order) =>
      new SourceCursor(input, sources[order] as StoredSource, {
        kind,
        dspamUser,
        year: options.year,
        onBytes,
        ...readAhead(input.size, totalBytes, inputs.length),
      }),
  );
  await mapLimited(cursors, OPEN_AT_ONCE, (cursor) => cursor.prepare());
  for (const [order, { input, kind }] of inputs.entries()) {
    const stored = sources[order] as StoredSource;
    const cursor = cursors[order] as SourceCursor;
    const continuation: Continuation =
      cursor.skippedLines > 0 ? "resumed" : stored.offset === 0 ? "new" : "reread";
    actives.push({
      cursor,
      source: pipeline.open(stored, continuation),
      order,
      next: 0,
      path: input.path,
      kind,
    });
  }

  const heap = new MinHeap<Active>((a, b) => a.next < b.next || (a.next === b.next && a.order < b.order));
  const started = await mapLimited(actives, OPEN_AT_ONCE, (active) => active.cursor.refill());
  for (const [index, active] of actives.entries()) {
    if (!started[index]) continue;
    active.next = active.cursor.peek()?.orderTs ?? 0;
    heap.push(active);
  }

  let lastReport = 0;
  while (heap.size > 0) {
    const active = heap.peek() as Active;
    pipeline.push(active.source, active.cursor.take() as CursorLine);
    progressState.lines += 1;
    if (pipeline.pendingLines === 0) {
      await pipeline.ready();
      const t = now();
      if (options.onProgress && t - lastReport > 100) {
        lastReport = t;
        options.onProgress(progressState);
      }
    }
    if (active.cursor.peek() || (await active.cursor.refill())) {
      active.next = active.cursor.peek()?.orderTs ?? 0;
      heap.updateTop();
    } else {
      heap.pop();
    }
  }
  pipeline.end();
  await pipeline.settle();
  for (const active of actives) pipeline.totals.skipped += active.cursor.skippedLines;
  options.onProgress?.(progressState);

  return {
    files: actives.map((active) => ({
      path: active.path,
      kind: active.kind,
      sourceId: active.source.stored.id,
      ...active.source.totals,
      skipped: active.cursor.skippedLines,
      restarted: active.cursor.restarted,
    })),
    skipped,
    damaged: actives.flatMap(({ cursor, path }) =>
      cursor.input.damage ? [{ path, reason: cursor.input.damage }] : [],
    ),
    programs: pipeline.programs,
    totals: pipeline.totals,
    bytes: progressState.bytes,
    elapsedMs: now() - startedAt,
  };
}
