import { getPrisma } from "../db/prisma.ts";
import { getStoredLines } from "./stored-lines.ts";

export type SourceRow = {
  id: number;
  path: string;
  kind: string;
  dspamUser: string | null;
  compressed: boolean;
  size: number;
  offset: number;
  linesRead: number;
  linesNew: number;
  linesKnown: number;
  unparsed: number;
  problems: number;
  firstTs: Date | null;
  lastTs: Date | null;
  updatedAt: Date;
  programs: { program: string; lines: number; unparsed: number }[];
};

/** Every ingested source with its per-program line counts, most recently updated first. */
export async function getSources(): Promise<SourceRow[]> {
  const rows = await getPrisma().source.findMany({
    orderBy: [{ updatedAt: "desc" }, { id: "asc" }],
    include: { programs: { orderBy: { lines: "desc" } } },
  });
  return rows.map((row) => ({
    id: row.id,
    path: row.path,
    kind: row.kind,
    dspamUser: row.dspamUser,
    compressed: row.compressed,
    size: Number(row.size),
    offset: Number(row.offset),
    linesRead: row.linesRead,
    linesNew: row.linesNew,
    linesKnown: row.linesKnown,
    unparsed: row.unparsed,
    problems: row.problems,
    firstTs: row.firstTs,
    lastTs: row.lastTs,
    updatedAt: row.updatedAt,
    programs: row.programs.map(({ program, lines, unparsed }) => ({ program, lines, unparsed })),
  }));
}

export type LineIssueRow = {
  lineId: number;
  lineNo: number;
  reason: string;
  detail: string | null;
  raw: string;
};

/** Lines of a source that need a human (unrecognised, unparsed, repaired), newest first. */
export async function getSourceIssues(sourceId: number, limit = 50): Promise<LineIssueRow[]> {
  const prisma = getPrisma();
  const rows = await prisma.lineIssue.findMany({
    where: { sourceId },
    orderBy: { lineId: "desc" },
    take: limit,
    select: { lineId: true, reason: true, detail: true },
  });
  const lines = await getStoredLines(
    rows.map((row) => row.lineId),
    prisma,
  );
  return rows.flatMap((row) => {
    const line = lines.get(row.lineId);
    return line
      ? [{ lineId: row.lineId, lineNo: line.lineNo, reason: row.reason, detail: row.detail, raw: line.text }]
      : [];
  });
}
