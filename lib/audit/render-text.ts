import path from "node:path";
import type { AuditResult } from "./types.ts";

/** Wraps a paragraph at `width` columns with an indent. */
function wrap(text: string, indent: string, width = 100): string[] {
  const out: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/)) {
    if (line !== "" && indent.length + line.length + 1 + word.length > width) {
      out.push(`${indent}${line}`);
      line = word;
    } else line = line === "" ? word : `${line} ${word}`;
  }
  if (line !== "") out.push(`${indent}${line}`);
  return out;
}

/** A file as the admin knows it: relative to the working directory when it is inside it. */
export function displayFile(file: string | null, cwd = process.cwd()): string {
  if (!file) return "";
  const relative = path.relative(cwd, file);
  return relative !== "" && !relative.startsWith("..") && !path.isAbsolute(relative) ? relative : file;
}

/** `spamtrail audit` without --json: most severe first, each with its line, problem, fix and evidence. */
export function renderAuditText(
  results: AuditResult[],
  read: { notes: string[]; setAside: { file: string; reason: string }[] },
): string {
  const count = (s: string) => results.filter((r) => r.severity === s).length;
  const out: string[] = [];
  out.push(
    results.length === 0
      ? "Configuration audit: no problems found."
      : `Configuration audit: ${results.length} problem${results.length === 1 ? "" : "s"} (${count("high")} high, ${count("medium")} medium, ${count("low")} low).`,
  );
  for (const note of read.notes) out.push(...wrap(note, "  "));
  for (const s of read.setAside) out.push(`  not used: ${displayFile(s.file)} (${s.reason})`);
  for (const r of results) {
    out.push("");
    const where = r.file ? `${displayFile(r.file)}${r.line ? `:${r.line}` : ""}` : "";
    out.push(
      `${r.severity.toUpperCase().padEnd(6)} ${r.check}${where ? `  ${where}` : ""}${r.service ? `  (${r.service})` : ""}`,
    );
    if (r.setting) out.push(`  ${r.setting} = ${r.value ?? ""}`);
    out.push(...wrap(r.problem, "  "));
    out.push("  Fix:");
    for (const line of r.fix.split("\n")) out.push(`    ${line}`);
    if (r.evidenceNote) out.push(...wrap(r.evidenceNote, "  "));
    else if (r.evidence.length > 0)
      out.push(
        `  Logs would show: ${r.evidence.map((e) => e.kind).join(", ")} (audit with --db to compare).`,
      );
  }
  return `${out.join("\n")}\n`;
}
