// Rspamd's lines as the events the rest of Spamtrail reads (lib/core/events.ts): the event of
// lib/filters/rspamd/index.ts with the task, worker and module that join a task's lines.
import type { LogEvent } from "../../core/events.ts";
import { parseRspamdEvent } from "./index.ts";
import { parseLearnScriptLine } from "./learn-script.ts";
import { parseRspamdSyslogMessage, type RspamdLine } from "./log-line.ts";

/** The event of one Rspamd line, from its own log file or syslog; never throws. */
export function rspamdLogEvent(line: RspamdLine): LogEvent {
  const event = parseRspamdEvent(line);
  if (event.kind === "unparsed" || event.kind === "other") return event;
  return { ...event, task: { taskId: line.taskId, worker: line.process, module: line.module } };
}

/** The event of a syslog line tagged `rspamd` (`logging { type = "syslog" }`). */
export function parseRspamdSyslog(message: string): LogEvent {
  const line = parseRspamdSyslogMessage(message, null);
  return line
    ? rspamdLogEvent(line)
    : { kind: "unparsed", reason: "Rspamd line without its logging function" };
}

/** The event of a retraining script's line that is rspamc output (see isRspamcOutput). */
export function parseRspamcOutput(program: string, message: string): LogEvent {
  const line = parseLearnScriptLine(program, message);
  return line ? { kind: "rspamc.output", line } : { kind: "unparsed", reason: "not rspamc output" };
}
