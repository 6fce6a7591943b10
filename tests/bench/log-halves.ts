// The generated logs cut in two at the time of the maillog's middle line (the line at half its size),
// as a rotation or a nightly import cuts them: the maillog, the syslog and every DSPAM log each in
// an older and a newer half, written once beside the logs (bench:ingest --halves). Streamed: a
// 5-million-line maillog is longer than a string may be.

import { once } from "node:events";
import {
  closeSync,
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  type WriteStream,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
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

// DSPAM's logs start each record with its epoch second.
function dspamSecond(line: string): number | null {
  const first = line.slice(0, line.indexOf("\t"));
  return /^\d+$/.test(first) ? Number(first) : null;
}

/** The first whole line after the middle byte of a file. */
function middleLine(file: string): string {
  const fd = openSync(file, "r");
  try {
    const bytes = Buffer.alloc(64 * 1024);
    const read = readSync(fd, bytes, 0, bytes.length, Math.floor(statSync(file).size / 2));
    const lines = bytes.subarray(0, read).toString("utf8").split("\n");
    return lines[1] ?? "";
  } finally {
    closeSync(fd);
  }
}

async function write(out: WriteStream, line: string): Promise<void> {
  if (!out.write(`${line}\n`)) await once(out, "drain");
}

/** Splits a file at `cut` into two files (none for an empty half); a line without a time goes with the line before it. */
async function split(
  file: string,
  timeOf: (line: string) => number | null,
  cut: number,
  [olderFile, newerFile]: [string, string],
): Promise<void> {
  const outs: (WriteStream | undefined)[] = [undefined, undefined];
  const files = [olderFile, newerFile];
  let side = 0;
  for await (const line of createInterface({
    input: createReadStream(file),
    crlfDelay: Number.POSITIVE_INFINITY,
  })) {
    if (line === "") continue;
    const time = timeOf(line);
    if (time !== null) side = time < cut ? 0 : 1;
    let out = outs[side];
    if (!out) {
      const target = files[side] as string;
      mkdirSync(path.dirname(target), { recursive: true });
      out = createWriteStream(target);
      outs[side] = out;
    }
    await write(out, line);
  }
  for (const out of outs) if (out) await new Promise((resolve) => out.end(resolve));
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}

export async function logHalves(logs: GeneratedLogs, year: number): Promise<LogHalves> {
  const dir = path.join(logs.dir, "halves");
  const at = (half: "older" | "newer") => ({
    mailLog: path.join(dir, half, "mail.log"),
    syslog: path.join(dir, half, "syslog"),
    dspamDir: path.join(dir, half, "dspam"),
  });
  const [older, newer] = [at("older"), at("newer")];
  const paths = (half: typeof older) => [half.mailLog, half.syslog, half.dspamDir];
  const done = path.join(dir, "done");
  if (existsSync(done)) return { older: paths(older), newer: paths(newer) };

  const syslogTime = (line: string) => syslogSecond(line, year);
  const middle = middleLine(logs.mailLog);
  const cut = syslogTime(middle);
  if (cut === null) throw new Error(`no time in the maillog's middle line: ${middle}`);
  await split(logs.mailLog, syslogTime, cut, [older.mailLog, newer.mailLog]);
  await split(logs.syslog, syslogTime, cut, [older.syslog, newer.syslog]);
  for (const file of filesUnder(logs.dspamDir)) {
    const relative = path.relative(logs.dspamDir, file);
    await split(file, dspamSecond, cut, [
      path.join(older.dspamDir, relative),
      path.join(newer.dspamDir, relative),
    ]);
  }
  writeFileSync(`${done}.tmp`, "");
  renameSync(`${done}.tmp`, done);
  return { older: paths(older), newer: paths(newer) };
}
