import type { BlockLine } from "../core/line-block.ts";
import { YearResolver } from "../syslog/year-resolver.ts";
import { decodeLine } from "./decode-line.ts";
import type { FileKind } from "./file-kind.ts";
import type { StoredLine } from "./line-pipeline.ts";

/** A line read back from its block, with what its source says about how to parse it. */
export type ReadBackLine = BlockLine & { kind: FileKind; dspamUser: string | null };

/**
 * A stored line as the correlator and the line detectors take it: parsed again from its text.
 * PostgreSQL's correlating leader feeds lines this way, and a correlator restored from a saved
 * state replays the batches committed after it (lib/store/correlator-state.ts).
 */
export function storedLine(line: ReadBackLine): StoredLine {
  // The stored time is the line's: a resolver for the line's own year gives it back.
  const years = new YearResolver(new Date(line.ts ?? 0));
  const decoded = { ...decodeLine(line.text, line.kind, years, line.dspamUser ?? undefined), ts: line.ts };
  return {
    id: line.id,
    sourceId: line.sourceId,
    decoded,
    raw: {
      lineNo: line.lineNo,
      byteOffset: line.byteOffset,
      endOffset: line.byteOffset + Buffer.byteLength(line.text) + 1,
      text: line.text,
      terminated: true,
    },
  };
}
