import { MinHeap } from "../core/min-heap.ts";
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
import { discover, InputError } from "./discover.ts";
import { type FileKind, rotationAge, streamOf } from "./file-kind.ts";
import { identityHash, lineKey, RepeatCounter, type RepeatSnapshot } from "./line-key.ts";
import { fingerprintOf, type OpenedInput, openFile, openStdin } from "./open-input.ts";
import type { RawLine } from "./read-lines.ts";
import { sniff } from "./sniff.ts";
import { type CursorLine, lineTextHash, SourceCursor } from "./source-cursor.ts";

/** A line stored for the first time, handed to the correlator in time order. */
export type StoredLine = { id: number; sourceId: number; decoded: DecodedLine; raw: RawLine };

/** What consumes the new lines (the correlator): both calls run inside a write transaction. */
export type LineSink = {
  lines(stored: StoredLine[]): void;
  end(): void;
};

export type IngestProgress = { bytes: number; totalBytes: number; lines: number; startedAt: number };

export type IngestOptions = {
  year?: number;
  kind?: FileKind;
  /** Lines per write transaction. */
  batchLines?: number;
  now?: () => number;
  onProgress?: (progress: IngestProgress) => void;
  /** Gets the new lines of each write batch inside its transaction, then a last call when input ends. */
  sink?: LineSink;
  stdin?: NodeJS.ReadableStream;
};

export type ProgramTotals = { read: number; fresh: number; known: number; unparsed: number };

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
  programs: Map<string, ProgramTotals>;
  totals: ProgramTotals & { problems: number; skipped: number };
  bytes: number;
  elapsedMs: number;
};

type Active = {
  cursor: SourceCursor;
  /** Tie-break for lines of the same millisecond: older rotations of a stream first. */
  order: number;
  report: FileReport;
  progress: SourceProgress;
  repeats: RepeatCounter;
  /** An unterminated last line stored by an earlier run, replaced once it is complete. */
  unterminated: { lineId: number; byteOffset: number } | undefined;
};

const UNRECOGNISED = "(no envelope)";

/** Ingests files, directories and stdin into the database; idempotent, resumable, time-ordered across inputs. */
export async function ingest(
  db: Db,
  paths: readonly string[],
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const now = options.now ?? Date.now;
  const startedAt = now();
  const found = await discover(paths);
  const skipped: IngestSummary["skipped"] = [];
  const inputs: { input: OpenedInput; kind: FileKind; dspamUser?: string }[] = [];

  for (const [file, explicit] of [
    ...found.explicit.map((f) => [f, true] as const),
    ...found.found.map((f) => [f, false] as const),
  ]) {
    let input: OpenedInput;
    try {
      input = file === "-" ? await openStdin(options.stdin as never) : await openFile(file);
    } catch (error) {
      if (explicit) throw new InputError(`${file}: ${(error as Error).message}`);
      skipped.push({ path: file, reason: `not readable: ${(error as Error).message}` });
      continue;
    }
    const sniffed = sniff(input.head, file);
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
    inputs.push({ input, kind, dspamUser });
  }

  const writer = new LineWriter(db);
  const totalBytes = inputs.reduce((sum, { input }) => sum + input.size, 0);
  const progressState: IngestProgress = { bytes: 0, totalBytes, lines: 0, startedAt };
  const onBytes = (n: number) => {
    progressState.bytes += n;
  };

  inputs.sort((a, b) => rotationAge(b.input.path) - rotationAge(a.input.path));
  const streams = new Map<string, RepeatCounter>();
  const actives: Active[] = [];
  for (const [order, { input, kind, dspamUser }] of inputs.entries()) {
    const fingerprint = fingerprintOf(input.head) ?? `empty:${input.path}`;
    const stream = streamOf(input.path);
    const seen = {
      path: input.path,
      compressed: input.compressed,
      inode: input.inode,
      size: input.size,
      now: now(),
    };
    let stored = findSource(db, fingerprint);
    if (stored) touchSource(db, stored.id, seen);
    else stored = createSource(db, { fingerprint, stream, kind, dspamUser: dspamUser ?? null, ...seen });
    const cursor = new SourceCursor(input, stored, { kind, dspamUser, year: options.year, onBytes });
    await cursor.prepare();
    let repeats = streams.get(stream);
    if (!repeats) {
      repeats = new RepeatCounter(continuedCounts(db, stored, cursor));
      streams.set(stream, repeats);
    }
    actives.push({
      cursor,
      order,
      report: {
        path: input.path,
        kind,
        sourceId: stored.id,
        read: 0,
        fresh: 0,
        known: 0,
        skipped: 0,
        restarted: false,
      },
      progress: emptyProgress(stored),
      repeats,
      unterminated: findUnterminated(db, stored.id),
    });
  }

  const programs = new Map<string, ProgramTotals>();
  const totals = { read: 0, fresh: 0, known: 0, unparsed: 0, problems: 0, skipped: 0 };
  const heap = new MinHeap<Active>((a, b) => {
    const x = a.cursor.peek()?.orderTs ?? 0;
    const y = b.cursor.peek()?.orderTs ?? 0;
    return x < y || (x === y && a.order < b.order);
  });
  for (const active of actives) if (await active.cursor.refill()) heap.push(active);

  const batchLines = options.batchLines ?? 10_000;
  let pending: Pending[] = [];
  const flush = db.transaction((batch: Pending[]) => {
    const stored: StoredLine[] = [];
    const touched = new Set<Active>();
    for (const { active, line, key } of batch) {
      touched.add(active);
      const id = storeLine(writer, active, line, key);
      account(active, line, id !== undefined, programs, totals);
      if (id !== undefined)
        stored.push({ id, sourceId: active.report.sourceId, decoded: line.decoded, raw: line.raw });
    }
    options.sink?.lines(stored);
    for (const active of touched) {
      active.progress.tailCounts = active.repeats.snapshot();
      saveSourceProgress(db, active.report.sourceId, active.progress, now());
      active.progress = { ...emptyProgress(active.progress), tailCounts: null };
    }
  });

  let lastReport = 0;
  while (heap.size > 0) {
    const active = heap.pop() as Active;
    const line = active.cursor.take() as CursorLine;
    // Keys are numbered here, in time order across files, not when each file is read.
    const digest = identityHash(line.decoded.identity);
    const second = Math.floor(line.orderTs / 1000);
    const repeat = active.repeats.next(digest.toString("latin1"), second);
    pending.push({ active, line, key: lineKey(digest, repeat, second) });
    progressState.lines += 1;
    if (pending.length >= batchLines) {
      flush(pending);
      pending = [];
      const t = now();
      if (options.onProgress && t - lastReport > 100) {
        lastReport = t;
        options.onProgress(progressState);
      }
    }
    if (active.cursor.peek() || (await active.cursor.refill())) heap.push(active);
  }
  if (pending.length > 0) flush(pending);
  if (options.sink) db.transaction(() => options.sink?.end())();
  for (const active of actives) {
    active.report.restarted = active.cursor.restarted;
    active.report.skipped = active.cursor.skippedLines;
    totals.skipped += active.cursor.skippedLines;
  }
  options.onProgress?.(progressState);

  return {
    files: actives.map((active) => active.report),
    skipped,
    programs,
    totals,
    bytes: progressState.bytes,
    elapsedMs: now() - startedAt,
  };
}

type Pending = { active: Active; line: CursorLine; key: Buffer };

/**
 * Where a stream's repeat counts start in this run (the oldest file of the stream decides): a
 * resumed file continues its own counts; a file never seen continues the stream's last counts
 * (a rotation cut inside a second numbers the new file's twins after the old file's); a file
 * read again from its start counts from zero, so its lines get the keys they got before.
 */
function continuedCounts(db: Db, stored: StoredSource, cursor: SourceCursor): RepeatSnapshot | null {
  if (cursor.skippedLines > 0) return stored.tailCounts;
  if (stored.offset === 0) return latestRepeatSnapshot(db, stored.stream);
  return null;
}

function storeLine(writer: LineWriter, active: Active, line: CursorLine, key: Buffer): number | undefined {
  const { raw, decoded } = line;
  const event = decoded.event;
  let issue: { reason: string; detail: string | null } | undefined;
  if (event.kind === "unrecognised") issue = { reason: "unrecognised", detail: "no known log envelope" };
  else if (event.kind === "unparsed") issue = { reason: "unparsed", detail: event.reason };
  if (raw.issue)
    issue = {
      reason: raw.issue.reason,
      detail: issue ? `${raw.issue.detail}; ${issue.detail}` : raw.issue.detail,
    };
  if (!raw.terminated)
    issue = { reason: "unterminated", detail: "last line without a newline (may still be written)" };
  const id = writer.write({
    sourceId: active.report.sourceId,
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
  if (id !== undefined && active.unterminated?.byteOffset === raw.byteOffset) {
    writer.remove(active.unterminated.lineId);
    active.unterminated = undefined;
  }
  return id;
}

function account(
  active: Active,
  line: CursorLine,
  fresh: boolean,
  programs: Map<string, ProgramTotals>,
  totals: ProgramTotals & { problems: number },
): void {
  const { raw, decoded } = line;
  const progress = active.progress;
  const program = decoded.program ?? UNRECOGNISED;
  const unparsed = decoded.event.kind === "unparsed" || decoded.event.kind === "unrecognised";

  progress.read += 1;
  active.report.read += 1;
  totals.read += 1;
  const perProgram = programs.get(program) ?? { read: 0, fresh: 0, known: 0, unparsed: 0 };
  programs.set(program, perProgram);
  perProgram.read += 1;
  if (fresh) {
    progress.fresh += 1;
    active.report.fresh += 1;
    totals.fresh += 1;
    perProgram.fresh += 1;
    const counts = progress.programs.get(program) ?? { lines: 0, unparsed: 0 };
    progress.programs.set(program, counts);
    counts.lines += 1;
    if (unparsed) {
      counts.unparsed += 1;
      progress.unparsed += 1;
      totals.unparsed += 1;
      perProgram.unparsed += 1;
    }
    if (raw.issue) {
      progress.problems += 1;
      totals.problems += 1;
    }
  } else {
    progress.known += 1;
    active.report.known += 1;
    totals.known += 1;
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
    progress.tailHash = lineTextHash(raw.text);
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

function findUnterminated(db: Db, sourceId: number): Active["unterminated"] {
  const row = db
    .prepare(
      `SELECT l.id AS lineId, l.byteOffset AS byteOffset FROM LineIssue i JOIN Line l ON l.id = i.lineId
       WHERE i.sourceId = ? AND i.reason = 'unterminated' ORDER BY l.id DESC LIMIT 1`,
    )
    .get(sourceId) as { lineId: number; byteOffset: number | bigint } | undefined;
  return row ? { lineId: row.lineId, byteOffset: Number(row.byteOffset) } : undefined;
}
