import { appendFileSync, mkdirSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { LAB_LOGS, LAB_YEAR } from "../helpers/fixtures.ts";

/** One write of a logging program: a line (a DSPAM user-log record with its blank line after it). */
export type Entry = { file: string; text: string; ts: number; record?: string };

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const read = (file: string) =>
  readFileSync(path.join(LAB_LOGS, file), "utf8")
    .split("\n")
    .filter((line) => line !== "");

/** Time of a log line: classic syslog (local time, of `year`), RFC 3339, or DSPAM's epoch seconds. */
export function timeOf(text: string, year = LAB_YEAR): number {
  const classic = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) /.exec(text);
  if (classic) {
    const [, month, day, h, m, s] = classic;
    return new Date(
      year,
      MONTHS.indexOf(month as string),
      Number(day),
      Number(h),
      Number(m),
      Number(s),
    ).getTime();
  }
  if (/^\d{9,}\t/.test(text)) return Number(text.split("\t")[0]) * 1000;
  return Date.parse(text.split(" ")[0] as string);
}

/**
 * The lab's real logs as the server wrote them: every line of mail.log, syslog, DSPAM's system.log
 * and each user's log, merged in time order, for appending to files under `root` (same layout).
 */
export function labFeed(): Entry[] {
  const entries: Entry[] = [];
  for (const file of ["var/log/mail.log", "var/log/syslog", "var/spool/dspam/system.log"]) {
    for (const text of read(file)) entries.push({ file, text, ts: timeOf(text) });
  }
  const data = "var/spool/dspam/data";
  for (const user of readdirSync(path.join(LAB_LOGS, data)).sort()) {
    const file = `${data}/${user}/${user}.log`;
    for (const text of read(file)) entries.push({ file, text: `${text}\n`, ts: timeOf(text) });
  }
  for (const entry of entries) if (/^\d{9,}\t/.test(entry.text)) entry.record = recordIdentity(entry);
  // A stable sort keeps each file's own order for lines of the same second.
  return entries.sort((a, b) => a.ts - b.ts);
}

/** DSPAM writes each record to system.log and the user's log: the same record, stored once. */
function recordIdentity(entry: Entry): string {
  const fields = entry.text.replace(/\n$/, "").split("\t");
  const user = entry.file.endsWith("system.log") ? fields[6] : path.basename(entry.file, ".log");
  return [fields[0], fields[1], fields[3], user].join("|");
}

/** Appends entries to their files under root (creating directories and files as DSPAM does). */
export function append(root: string, entries: readonly Entry[], redirect?: (file: string) => string): void {
  const byFile = new Map<string, string[]>();
  for (const entry of entries) {
    const file = path.join(root, redirect ? redirect(entry.file) : entry.file);
    const texts = byFile.get(file) ?? [];
    texts.push(`${entry.text}\n`);
    byFile.set(file, texts);
  }
  for (const [file, texts] of byFile) {
    mkdirSync(path.dirname(file), { recursive: true });
    appendFileSync(file, texts.join(""));
  }
}

/** How many lines the store holds once `entries` are read: every line once, each DSPAM record once. */
export function expectedLines(entries: readonly Entry[]): number {
  const records = new Set(entries.filter((e) => e.record).map((e) => e.record));
  return entries.filter((e) => !e.record).length + records.size;
}

/** Splits entries into `parts` consecutive chunks. */
export function chunks<T>(items: readonly T[], parts: number): T[][] {
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: parts }, (_, i) => items.slice(i * size, (i + 1) * size)).filter(
    (c) => c.length > 0,
  );
}

const SHORT_MONTHS = MONTHS;

/**
 * Some lab messages' lines (mail.log, syslog, DSPAM's system.log; truth.json keys) as if they were
 * logged now: the same lines, their times moved so the first one is `now`, for live-follow tests.
 */
export function labMessagesNow(
  keys: readonly string[],
  now: Date,
): { entries: Entry[]; messageIds: string[] } {
  const truth = JSON.parse(readFileSync(path.join(LAB_LOGS, "..", "truth.json"), "utf8")) as {
    messages: { key: string; message_id: string; postfix_queue_ids: string[] }[];
  };
  const messages = keys.map((key) => truth.messages.find((m) => m.key === key) ?? assertNever(key));
  const messageIds = messages.map((m) => m.message_id.replace(/^<(.*)>$/, "$1"));
  const needles = messages.flatMap((m) => [m.message_id.replace(/^<(.*)>$/, "$1"), ...m.postfix_queue_ids]);
  const feed = labFeed().filter((e) => !e.file.includes("/data/"));
  const records = feed.filter((e) => e.record && needles.some((n) => e.text.includes(n)));
  const signatures = records.map((e) => e.text.split("\t")[3] ?? "").filter(Boolean);
  const wanted = [...needles, ...signatures];
  const picked = feed.filter((e) => wanted.some((n) => e.text.includes(n)));
  const shift = now.getTime() - Math.min(...picked.map((e) => e.ts));
  const pad = (n: number) => String(n).padStart(2, "0");
  const entries = picked.map((e) => {
    const at = new Date(e.ts + shift);
    const text = e.record
      ? e.text.replace(/^\d+/, String(Math.floor(at.getTime() / 1000)))
      : e.text.replace(
          /^\w{3} +\d+ \d\d:\d\d:\d\d/,
          `${SHORT_MONTHS[at.getMonth()]} ${String(at.getDate()).padStart(2, " ")} ${pad(at.getHours())}:${pad(at.getMinutes())}:${pad(at.getSeconds())}`,
        );
    return { ...e, text, ts: at.getTime() };
  });
  return { entries, messageIds };
}

function assertNever(key: string): never {
  throw new Error(`no lab message ${key}`);
}
