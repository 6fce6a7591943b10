import type { SourceProgress } from "../store/sources.ts";
import type { PipelineLine, SourceHandle } from "./line-pipeline.ts";

export type ProgramTotals = { read: number; fresh: number; known: number; unparsed: number };
export type Totals = ProgramTotals & { problems: number; skipped: number };

const UNRECOGNISED = "(no envelope)";

/**
 * Counts the lines read: new, already known, unparsed, repaired — for the run, per program, and
 * in each source's progress, which its write batch saves with its position.
 */
export class LineCounts {
  readonly totals: Totals = { read: 0, fresh: 0, known: 0, unparsed: 0, problems: 0, skipped: 0 };
  readonly programs = new Map<string, ProgramTotals>();

  count(source: SourceHandle, line: PipelineLine, fresh: boolean): void {
    const { raw, decoded } = line;
    const { progress, totals } = source;
    const program = decoded.program ?? UNRECOGNISED;
    const unparsed = decoded.event.kind === "unparsed" || decoded.event.kind === "unrecognised";
    let perProgram = this.programs.get(program);
    if (!perProgram) {
      perProgram = { read: 0, fresh: 0, known: 0, unparsed: 0 };
      this.programs.set(program, perProgram);
    }
    progress.read += 1;
    totals.read += 1;
    this.totals.read += 1;
    perProgram.read += 1;
    if (fresh) {
      progress.fresh += 1;
      totals.fresh += 1;
      this.totals.fresh += 1;
      perProgram.fresh += 1;
      let counts = progress.programs.get(program);
      if (!counts) {
        counts = { lines: 0, unparsed: 0 };
        progress.programs.set(program, counts);
      }
      counts.lines += 1;
      if (unparsed) {
        counts.unparsed += 1;
        progress.unparsed += 1;
        this.totals.unparsed += 1;
        perProgram.unparsed += 1;
      }
      if (raw.issue) {
        progress.problems += 1;
        this.totals.problems += 1;
      }
    } else {
      progress.known += 1;
      totals.known += 1;
      this.totals.known += 1;
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
      source.lastText = raw.text;
    }
  }
}

/** A source's progress before any line of a batch: where it stands, nothing counted. */
export function emptyProgress(
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
