// The part of an Rspamd log line before the function's own text, in Rspamd's own log file and
// through syslog (where the syslog envelope, lib/syslog/envelope.ts, has already been removed).
import type { LocalTime } from "../../syslog/envelope.ts";
import { wallClockTime } from "../../syslog/wall-clock.ts";

/** One Rspamd line split into its parts; the message is the logging function's own text. */
export type RspamdLine = {
  /** Wall-clock time of Rspamd's own log file (no zone written); null for syslog bodies. */
  time: LocalTime | null;
  pid: number | null;
  /** Worker type: normal, controller, rspamd_proxy, main, hs_helper…; null when not written. */
  process: string | null;
  /** Task or session id (`<a385af>`): joins a task's lines; null when the line has none. */
  taskId: string | null;
  /** Log module (task, stat_redis, proxy, milter, csession, lua…); null when not written. */
  module: string | null;
  /** C function or `file.lua:line` that logged the line. */
  fn: string;
  message: string;
};

// 2026-12-06 10:33:34 #19259(normal) <a385af>; task; rspamd_task_write_log: id: <...>, qid: <...>
// 2026-12-06 10:35:11 #19258(controller) rspamd_controller_on_terminate: closing rrd file: ...
// (log_usec = true writes 10:33:34.123456)
const FILE_LINE = /^(\d{4})-(\d\d)-(\d\d) (\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))? #(\d+)\(([\w-]+)\) (.*)$/s;
// <a385af>; task; rspamd_task_write_log: id: <...>   |   <>; lua; lua_util.lua:1075: enable debug ...
// lua; lua_cfg_transform.lua:161: group excessqp has no symbols   (module, no task id)
// rspamd_worker_hyperscan_ready: loading hyperscan expressions ...   (no task, no module)
const BODY = /^(?:\(([\w-]+)\) )?(?:<([^<>;\s]*)>; )?(?:([\w-]+); )?([A-Za-z_][\w.-]*(?::\d+)?): (.*)$/s;

/** Parses one line of Rspamd's own log file (`logging { type = "file" }`); null when it is not one. */
export function parseRspamdFileLine(line: string): RspamdLine | null {
  const m = FILE_LINE.exec(line);
  if (!m) return null;
  const body = parseRspamdBody(m[10] as string);
  if (!body) return null;
  // No zone is written: a wall-clock time, in the machine's zone (lib/filters/rspamd/decode.ts).
  const time = wallClockTime(m);
  return { ...body, time, pid: Number(m[8]), process: m[9] as string };
}

/**
 * Parses the text of a syslog line tagged `rspamd[pid]` (`logging { type = "syslog" }`), e.g.
 * `<8ae27d>; proxy; rspamd_message_parse: loaded message; ...`; null when it has no function.
 */
export function parseRspamdSyslogMessage(message: string, pid: number | null): RspamdLine | null {
  const body = parseRspamdBody(message);
  return body ? { ...body, time: null, pid } : null;
}

function parseRspamdBody(text: string): Omit<RspamdLine, "time" | "pid"> | null {
  const m = BODY.exec(text);
  if (!m) return null;
  const taskId = m[2];
  return {
    process: m[1] ?? null,
    taskId: taskId === undefined || taskId === "" ? null : taskId,
    module: m[3] ?? null,
    fn: m[4] as string,
    message: (m[5] as string).trimEnd(),
  };
}
