// DSPAM's own log files (system.log, per-user <user>.log): one classification record a line.
import type { DecodedLine } from "../../ingest/decode-line.ts";
import type { FileKind } from "../../ingest/file-kind.ts";
import { parseDspamRecord } from "../../parsers/dspam-record.ts";

const SEP = "\u001f";

/** Decodes a line of system.log or of a per-user log (whose user comes from its path). */
export function decodeDspamFileLine(text: string, kind: FileKind, fileUser: string | undefined): DecodedLine {
  const event = parseDspamRecord(text, kind === "dspam-system" ? "system" : "user", fileUser);
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
