import type { PostfixConfig, PostfixService } from "./model/postfix.ts";
import type { ConfigEdit, Location } from "./types.ts";

/** The lines of every file given, by path: edits are computed against them. */
export type FileLines = Map<string, string[]>;

/** A change and the words that show it: `lines` is what the admin writes (or the command to run). */
export type Change = { edits: ConfigEdit[]; lines: string[] };

// master(5): the short form `-o name=value` cannot hold whitespace; the long form `-o { name = value }` can.
export const optionText = (name: string, value: string) =>
  /\s/.test(value) ? `-o { ${name} = ${value} }` : `-o ${name}=${value}`;

const lineOf = (files: FileLines, file: string, line: number) => files.get(file)?.[line - 1] ?? "";
const replaceLine = (file: string, line: number, text: string): ConfigEdit => ({
  file,
  startLine: line,
  endLine: line,
  lines: [text],
});

/** Sets a `-o` override of one service: rewrites the existing one in place, or adds it. */
export function setServiceOption(
  config: PostfixConfig,
  files: FileLines,
  service: PostfixService,
  name: string,
  value: string,
): Change {
  const existing = service.overrides.get(name);
  if (config.overridesFile) {
    const text = `${service.key}/${name} = ${value}`;
    const command = `postconf -P '${service.key}/${name}=${value}'`;
    const edit =
      existing && existing.loc.file === config.overridesFile
        ? replaceLine(config.overridesFile, existing.loc.line, text)
        : {
            file: config.overridesFile,
            startLine: config.overridesLineCount + 1,
            endLine: config.overridesLineCount,
            lines: [text],
          };
    return { edits: [edit], lines: [command] };
  }
  const option = optionText(name, value);
  if (existing?.option) {
    const { line, startCol, endCol } = existing.option;
    const raw = lineOf(files, service.loc.file, line);
    const text = `${raw.slice(0, startCol)}${option}${raw.slice(endCol)}`;
    return {
      edits: [replaceLine(service.loc.file, line, text)],
      lines: [text.trim() === option ? `  ${option}` : text],
    };
  }
  if (config.masterSource === "postconf-M") {
    const raw = lineOf(files, service.loc.file, service.loc.line);
    const text = `${raw.trimEnd()} ${option}`;
    return { edits: [replaceLine(service.loc.file, service.loc.line, text)], lines: [text] };
  }
  const text = `  ${option}`;
  return {
    edits: [
      {
        file: service.loc.file,
        startLine: service.loc.endLine + 1,
        endLine: service.loc.endLine,
        lines: [text],
      },
    ],
    lines: [serviceHead(files, service), text],
  };
}

/** Removes a `-o` override of one service (its whole line when it stands alone). */
export function removeServiceOption(files: FileLines, service: PostfixService, name: string): Change {
  const existing = service.overrides.get(name);
  if (!existing) return { edits: [], lines: [] };
  if (!existing.option) {
    return {
      edits: [
        { file: existing.loc.file, startLine: existing.loc.line, endLine: existing.loc.line, lines: [] },
      ],
      lines: [`postconf -PX '${service.key}/${name}'`],
    };
  }
  const { line, startCol, endCol } = existing.option;
  const raw = lineOf(files, service.loc.file, line);
  const rest = `${raw.slice(0, startCol).trimEnd()}${raw.slice(endCol)}`;
  if (rest.trim() === "")
    return {
      edits: [{ file: service.loc.file, startLine: line, endLine: line, lines: [] }],
      lines: [`delete the line: ${raw.trim()}`],
    };
  return { edits: [replaceLine(service.loc.file, line, rest)], lines: [rest] };
}

/** Sets a main.cf parameter: replaces its logical line, or appends it. */
export function setMainSetting(config: PostfixConfig, name: string, value: string): Change {
  const text = `${name} = ${value}`;
  const existing = config.main.get(name);
  if (!config.mainFile) return { edits: [], lines: [`postconf -e '${name}=${value}'`] };
  const command = config.mainSource === "postconf-n" ? [`postconf -e '${name}=${value}'`] : [text];
  if (existing) return { edits: [{ ...span(existing.loc), lines: [text] }], lines: command };
  return {
    edits: [
      {
        file: config.mainFile,
        startLine: config.mainLineCount + 1,
        endLine: config.mainLineCount,
        lines: [text],
      },
    ],
    lines: command,
  };
}

/** Removes a main.cf parameter (Postfix's default applies again). */
export function removeMainSetting(config: PostfixConfig, name: string): Change {
  const existing = config.main.get(name);
  if (!existing) return { edits: [], lines: [] };
  return {
    edits: [{ ...span(existing.loc), lines: [] }],
    lines: [
      config.mainSource === "postconf-n"
        ? `postconf -X ${name}`
        : `delete the line: ${name} = ${existing.value}`,
    ],
  };
}

/** Replaces one line of any file with new text, keeping its indentation. */
export function replaceSettingLine(files: FileLines, loc: Location, text: string): Change {
  const indent = /^\s*/.exec(lineOf(files, loc.file, loc.line))?.[0] ?? "";
  return { edits: [{ ...span(loc), lines: [`${indent}${text}`] }], lines: [text] };
}

/** Appends lines at the end of a file. */
export function appendLines(file: string, lineCount: number, lines: string[]): Change {
  return { edits: [{ file, startLine: lineCount + 1, endLine: lineCount, lines }], lines };
}

const span = (loc: Location) => ({ file: loc.file, startLine: loc.line, endLine: loc.endLine });

function serviceHead(files: FileLines, service: PostfixService): string {
  return lineOf(files, service.loc.file, service.loc.line).trimEnd();
}

/** Combines changes into one. */
export function combine(...changes: Change[]): Change {
  return { edits: changes.flatMap((c) => c.edits), lines: changes.flatMap((c) => c.lines) };
}

/** Applies edits to file texts (pure): what the fix turns the configuration into. */
export function applyEdits(texts: Map<string, string>, edits: ConfigEdit[]): Map<string, string> {
  const out = new Map(texts);
  const byFile = new Map<string, ConfigEdit[]>();
  for (const edit of edits) byFile.set(edit.file, [...(byFile.get(edit.file) ?? []), edit]);
  for (const [file, fileEdits] of byFile) {
    const text = out.get(file) ?? "";
    const endsWithNewline = text.endsWith("\n");
    const lines = text.split(/\r?\n/);
    if (endsWithNewline) lines.pop();
    // Bottom-up, so earlier line numbers stay valid.
    for (const edit of [...fileEdits].sort((a, b) => b.startLine - a.startLine || b.endLine - a.endLine))
      lines.splice(edit.startLine - 1, edit.endLine - edit.startLine + 1, ...edit.lines);
    out.set(file, `${lines.join("\n")}${endsWithNewline || lines.length > 0 ? "\n" : ""}`);
  }
  return out;
}
