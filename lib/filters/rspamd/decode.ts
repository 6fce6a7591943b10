// Rspamd's own log file (`logging { type = "file" }`, Debian's /var/log/rspamd/rspamd.log):
// `2026-12-06 10:33:34 #19259(normal) <a385af>; task; …`, a local time without zone, no host.
import type { DecodedLine } from "../../ingest/decode-line.ts";
import type { YearResolver } from "../../syslog/year-resolver.ts";
import { rspamdLogEvent } from "./log-event.ts";
import { parseRspamdFileLine } from "./log-line.ts";

const SEP = "\u001f";

/** Decodes a line of Rspamd's log file; null for a line of another shape (a continuation line). */
export function decodeRspamdFileLine(
  text: string,
  _kind: unknown,
  _fileUser: unknown,
  years: YearResolver,
): DecodedLine | null {
  const line = parseRspamdFileLine(text);
  if (!line?.time) return null;
  // Dates without a zone are in the machine's zone, as every zone-less date Spamtrail reads.
  const ts = years.toEpochMs({ kind: "local", time: line.time });
  const body = text.slice(text.indexOf(") ") + 2);
  return {
    ts,
    host: null,
    program: "rspamd",
    pid: line.pid,
    event: rspamdLogEvent(line),
    identity: [Math.floor(ts / 1000), "", "rspamd", line.pid ?? "", body].join(SEP),
  };
}
