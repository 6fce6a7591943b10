import { readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../../lib/core/paths.ts";

/** The real Postfix + DSPAM + Dovecot sample bundled for the demo (prisma/demo/lab-double-expansion/README.md). */
export const LAB = path.join(projectRoot(), "prisma", "demo", "lab-double-expansion");
export const LAB_LOGS = path.join(LAB, "logs");
export const REAL_LINES = path.join(projectRoot(), "tests", "fixtures", "real-lines");
/** The lab ran in November 2026; its classic syslog dates have no year. */
export const LAB_YEAR = 2026;

export type RealLine = {
  id: string;
  line: string;
  source: string;
  family: string;
  expect: Record<string, unknown>;
  note?: string;
};

/** Reads one file of the real-lines corpus (tests/fixtures/real-lines/<name>.jsonl). */
export function realLines(name: string): RealLine[] {
  return readFileSync(path.join(REAL_LINES, `${name}.jsonl`), "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => JSON.parse(line) as RealLine);
}
