// The generated logs cut in two at the time of the maillog's middle line, as a rotation or a
// nightly import cuts them: the maillog, the syslog and every DSPAM log each in an older and a
// newer half, written once beside the logs (bench:ingest --halves).
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { GeneratedLogs } from "./generated-logs.ts";

export type LogHalves = { older: string[]; newer: string[] };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "Mar  1 19:58:35 …" → its epoch second in `year` (the generator writes UTC), or null. */
function syslogSecond(line: string, year: number): number | null {
  const match = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) /.exec(line);
  const month = match ? MONTHS.indexOf(match[1] as string) : -1;
  if (!match || month === -1) return null;
  const [day, hour, minute, second] = match.slice(2).map(Number) as [number, number, number, number];
  return Date.UTC(year, month, day, hour, minute, second) / 1000;
}

/** Splits lines at `cut`; a line without a time goes with the line before it. */
function split(lines: string[], timeOf: (line: string) => number | null, cut: number) {
  const halves: [string[], string[]] = [[], []];
  let side = 0;
  for (const line of lines) {
    const time = timeOf(line);
    if (time !== null) side = time < cut ? 0 : 1;
    halves[side as 0 | 1].push(line);
  }
  return halves;
}

const linesOf = (file: string) => readFileSync(file, "utf8").split("\n").filter(Boolean);
const write = (file: string, lines: string[]) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, lines.length > 0 ? `${lines.join("\n")}\n` : "");
};

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

export function logHalves(logs: GeneratedLogs, year: number): LogHalves {
  const dir = path.join(logs.dir, "halves");
  const at = (half: "older" | "newer") => ({
    mailLog: path.join(dir, half, "mail.log"),
    syslog: path.join(dir, half, "syslog"),
    dspamDir: path.join(dir, half, "dspam"),
  });
  const [older, newer] = [at("older"), at("newer")];
  const paths = (h: typeof older) => [h.mailLog, h.syslog, h.dspamDir];
  const done = path.join(dir, "done");
  if (existsSync(done)) return { older: paths(older), newer: paths(newer) };

  const syslogTime = (line: string) => syslogSecond(line, year);
  const mail = linesOf(logs.mailLog);
  const middle = mail[Math.floor(mail.length / 2)] as string;
  const cut = syslogTime(middle);
  if (cut === null) throw new Error(`no time in the maillog's middle line: ${middle}`);
  const [mailOlder, mailNewer] = split(mail, syslogTime, cut);
  write(older.mailLog, mailOlder);
  write(newer.mailLog, mailNewer);
  const [sysOlder, sysNewer] = split(linesOf(logs.syslog), syslogTime, cut);
  write(older.syslog, sysOlder);
  write(newer.syslog, sysNewer);
  // DSPAM's logs start each record with its epoch second.
  const epoch = (line: string) => {
    const first = line.slice(0, line.indexOf("\t"));
    return /^\d+$/.test(first) ? Number(first) : null;
  };
  for (const file of filesUnder(logs.dspamDir)) {
    const relative = path.relative(logs.dspamDir, file);
    const [a, b] = split(linesOf(file), epoch, cut);
    if (a.length > 0) write(path.join(older.dspamDir, relative), a);
    if (b.length > 0) write(path.join(newer.dspamDir, relative), b);
  }
  writeFileSync(`${done}.tmp`, "");
  renameSync(`${done}.tmp`, done);
  return { older: paths(older), newer: paths(newer) };
}
