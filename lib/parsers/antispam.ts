import type { LogEvent } from "../core/events.ts";

/** Parses a dovecot-antispam debug line, after its `antispam: ` prefix. */
export function parseAntispamMessage(_text: string): LogEvent {
  return { kind: "unparsed", reason: "no antispam parser yet" };
}
