import type { LogEvent } from "../core/events.ts";

/** Parses the text of a `dspam[pid]:` syslog line. */
export function parseDspamMessage(_message: string): LogEvent {
  return { kind: "unparsed", reason: "no dspam syslog parser yet" };
}
