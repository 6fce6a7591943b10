import type { LogEvent } from "../core/events.ts";
import { pluginOfFileKind } from "../filters/registry.ts";
import { parseEvent } from "../parsers/index.ts";
import { parseEnvelope } from "../syslog/envelope.ts";
import type { YearResolver } from "../syslog/year-resolver.ts";
import type { FileKind } from "./file-kind.ts";

/** A line read and understood: envelope fields, the event, and the text its identity is computed from. */
export type DecodedLine = {
  ts: number | null;
  host: string | null;
  program: string | null;
  pid: number | null;
  event: LogEvent | { kind: "unrecognised" };
  /** Same content ⇒ same identity, whatever the file or timestamp format (before the repeat count). */
  identity: string;
};

const SEP = "\u001f";

/** Decodes one line of a file of the given kind. Pure apart from the per-file year resolver. */
export function decodeLine(
  text: string,
  kind: FileKind,
  years: YearResolver,
  /** The statistics user a filter's per-user log belongs to (from its path: DSPAM's <user>.log). */
  fileUser: string | undefined,
): DecodedLine {
  // A filter's own log file (DSPAM's system.log, Rspamd's rspamd.log): its plug-in decodes it; a
  // line that is not of the file's own format is read as syslog (or kept as unrecognised).
  const own = pluginOfFileKind(kind)?.decodeFileLine?.(text, kind, fileUser, years);
  if (own) return own;
  const envelope = parseEnvelope(text);
  if (!envelope) {
    return {
      ts: null,
      host: null,
      program: null,
      pid: null,
      event: { kind: "unrecognised" },
      identity: `raw${SEP}${text}`,
    };
  }
  const ts = years.toEpochMs(envelope.time);
  const second = Math.floor(ts / 1000);
  return {
    ts,
    host: envelope.host,
    program: envelope.program,
    pid: envelope.pid,
    event: parseEvent(envelope.program, envelope.message),
    identity: [second, envelope.host ?? "", envelope.program, envelope.pid ?? "", envelope.message].join(SEP),
  };
}
