import type { LogEvent } from "../core/events.ts";
import { parseDspamRecord } from "../parsers/dspam-record.ts";
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
  dspamUser: string | undefined,
): DecodedLine {
  if (kind === "dspam-system" || kind === "dspam-user") {
    const event = parseDspamRecord(text, kind === "dspam-system" ? "system" : "user", dspamUser);
    if (event.kind === "dspam.record") {
      // system.log and <user>.log hold the same records: the identity leaves out the file's own columns.
      const identity = [
        "dspam-record",
        event.epoch,
        event.dspamUser,
        event.dspamClass,
        event.signature ?? "",
        event.messageIdRaw,
      ].join(SEP);
      return { ts: event.epoch * 1000, host: null, program: "dspam", pid: null, event, identity };
    }
    return { ts: null, host: null, program: "dspam", pid: null, event, identity: `dspam-bad${SEP}${text}` };
  }
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
