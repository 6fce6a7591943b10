// Shared runner for the Postfix table tests: each case is one real line with its source.
import assert from "node:assert/strict";
import { test } from "node:test";
import type { LogEvent } from "../../core/events.ts";
import { parseEnvelope } from "../../syslog/envelope.ts";
import { parsePostfixMessage } from "./index.ts";

export type Case = {
  name: string;
  /** Where the line comes from: repository@commit:path, real-lines id, or the lab log. */
  source: string;
  /** A whole syslog line, or only the message text when `program` is given (upstream message-only data). */
  line: string;
  program?: string;
  want: LogEvent;
};

/** Parses a case's line the way ingest does: envelope first, then the Postfix message. */
export function parseCaseLine(line: string, program?: string): LogEvent {
  if (program !== undefined) return parsePostfixMessage(program, line.trimEnd());
  const envelope = parseEnvelope(line);
  assert.ok(envelope, `no envelope in ${line}`);
  return parsePostfixMessage(envelope.program, envelope.message);
}

/** One node:test per case: the parsed event must equal `want` exactly. */
export function runTable(cases: Case[]): void {
  for (const c of cases) {
    test(c.name, () => {
      assert.deepEqual(parseCaseLine(c.line, c.program), c.want, `source: ${c.source}`);
    });
  }
}
