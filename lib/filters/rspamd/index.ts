// One entry point for Rspamd's log lines: the line families of this folder, by module and
// function, and "unparsed" (counted, never thrown) for a line of those families that fits none.
import { type ControllerEvent, parseControllerLearn } from "./controller.ts";
import { type LoadedMessage, parseLoadedMessage } from "./loaded-message.ts";
import type { RspamdLine } from "./log-line.ts";
import { type MilterEvent, parseMilter } from "./milter.ts";
import { parseStatRedis, type StatRedisEvent } from "./stat-redis.ts";
import { parseTaskLog, type RspamdScan } from "./task-log.ts";

export type RspamdEvent =
  | { kind: "rspamd.scan"; scan: RspamdScan }
  | LoadedMessage
  | StatRedisEvent
  | MilterEvent
  | ControllerEvent
  /** A line of a family Spamtrail reads whose text fits none of its shapes. */
  | { kind: "unparsed"; reason: string }
  /** Start-up, maps, Lua plugins, language detection…: nothing Spamtrail reads. */
  | { kind: "other" };

// Functions whose lines Spamtrail reads; a line of these that does not parse is "unparsed".
const MILTER_FUNCTIONS = new Set([
  "proxy_accept_socket",
  "rspamd_milter_process_command",
  "proxy_milter_finish_handler",
]);
const LEARN_FUNCTIONS = new Set(["rspamd_controller_learn_fin_task", "rspamd_stat_classifier_is_skipped"]);

/** Turns one Rspamd line into a typed event; never throws. */
export function parseRspamdEvent(line: RspamdLine): RspamdEvent {
  try {
    return eventOf(line);
  } catch (error) {
    return { kind: "unparsed", reason: `parser error: ${(error as Error).message}` };
  }
}

function eventOf({ module, fn, message }: RspamdLine): RspamdEvent {
  if (fn === "rspamd_task_write_log") {
    const scan = parseTaskLog(message);
    return scan ? { kind: "rspamd.scan", scan } : unparsed("task log line without a metric result", message);
  }
  // rspamd_message_parse also writes debug lines; only "loaded message" is read.
  if (fn === "rspamd_message_parse") return parseLoadedMessage(message) ?? { kind: "other" };
  if (module === "stat_redis") return parseStatRedis(message) ?? unparsed("stat_redis line", message);
  if (message.startsWith("skip obtaining bayes tokens"))
    return parseStatRedis(message) ?? unparsed("Bayes min_learns line", message);
  // The milter's debug lines (optneg, macros, headers) share these functions: only the session
  // lines are read, the rest is other.
  if (MILTER_FUNCTIONS.has(fn)) return parseMilter(message) ?? { kind: "other" };
  if (LEARN_FUNCTIONS.has(fn)) return parseControllerLearn(message) ?? unparsed("learn line", message);
  if (message.includes("learn conditions denied"))
    return parseControllerLearn(message) ?? unparsed("learn refusal line", message);
  return { kind: "other" };
}

const unparsed = (family: string, message: string): RspamdEvent => ({
  kind: "unparsed",
  reason: `unknown ${family}: ${message.slice(0, 80)}`,
});
