// Shared by the Dovecot table tests: whole-line parsing and the set of real lines a table may use.
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { LAB_LOGS, realLines } from "../../../tests/helpers/fixtures.ts";
import type { LogEvent } from "../../core/events.ts";
import { parseEnvelope } from "../../syslog/envelope.ts";
import { parseEvent } from "../index.ts";

export const LAB = "lab var/log/mail.log";

/** Envelope + registry, as ingest does it. */
export function eventOf(line: string): LogEvent {
  const envelope = parseEnvelope(line);
  assert.ok(envelope, `no envelope: ${line}`);
  return parseEvent(envelope.program, envelope.message);
}

let real: Set<string> | undefined;

/** True when the line appears verbatim in the lab's mail.log or the real-lines dovecot corpus. */
export function isRealLine(line: string): boolean {
  real ??= new Set([
    ...readFileSync(path.join(LAB_LOGS, "var/log/mail.log"), "utf8").split("\n"),
    ...realLines("dovecot").map((record) => record.line),
  ]);
  return real.has(line);
}

export type Case = { name: string; source: string; line: string; want: LogEvent };

/** Registers one test per case: the line must be real and parse to exactly `want`. */
export function runCases(cases: Case[], it: (name: string, fn: () => void) => unknown): void {
  for (const { name, source, line, want } of cases) {
    it(`${name} (${source})`, () => {
      assert.ok(isRealLine(line), "the line is real");
      assert.deepEqual(eventOf(line), want);
    });
  }
}
