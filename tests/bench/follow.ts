// npm run bench:follow [-- --rate 2000 --seconds 30 --idle-wait 10 --idle-seconds 20 --seed 42 --maillog-only]
// Live follow: `spamtrail follow` runs in a child process, with the node options of the follow
// service (lib/service/spamtrail-follow.service), on initially empty copies of a generated
// log's files (mail.log, syslog, DSPAM's system.log and per-user logs), to which this process
// appends the generated lines in time order at a steady rate, in small writes every 50 ms. Prints
// the lag from a line being appended to it being visible in the database (every 10th line of
// mail.log and syslog, the database polled read-only every 20 ms), whether every line was stored
// once, then follow's CPU use and memory while idle. Figures only: nothing is asserted.
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import {
  closeSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeSync,
} from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { type BlockLine, decodeBlock } from "../../lib/core/line-block.ts";
import { projectRoot } from "../../lib/core/paths.ts";
import { type Db, openDatabase } from "../../lib/db/connection.ts";
import { CLI_ENTRY, cliNodeEnv, followNodeFlags } from "../helpers/cli-node-flags.ts";
import { argument, fmt, generatedLogs } from "./generated-logs.ts";
import { percentile } from "./stats.ts";

const TICK_MS = 50;
const POLL_MS = 20;
const SAMPLE_EVERY = 10;
const DRAIN_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;
const AIM_P99_MS = 2000;

const numberArgument = (name: string, fallback: string, min: number): number => {
  const value = Number(argument(name, fallback));
  if (!Number.isFinite(value) || value < min) {
    console.error(`--${name} must be a number of at least ${min}, got '${argument(name, fallback)}'`);
    process.exit(2);
  }
  return value;
};
const rate = numberArgument("rate", "2000", 1);
const seconds = numberArgument("seconds", "30", 1);
const idleWait = numberArgument("idle-wait", "10", 0);
const idleSeconds = numberArgument("idle-seconds", "20", 1);
const seed = numberArgument("seed", "42", 0);
const maillogOnly = process.argv.includes("--maillog-only");
const total = Math.round(rate * seconds);

const ROOT = projectRoot();
const MAIL = "mail.log";
const SYSLOG = "syslog";
const SYSTEM_LOG = path.join("dspam", "system.log");

/** One write of a logging program: a line (a DSPAM user-log record with the blank line after it). */
type Entry = {
  file: string;
  text: string;
  lineNo: number;
  order: number;
  sampled: boolean;
  record?: string;
  /** The Message-ID a cleanup line names, for every 10th message: when does it show in a search? */
  messageId?: string;
};

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const CLASSIC = /^(\w{3}) +(\d+) (\d\d):(\d\d):(\d\d) /;

/** A file's lines as entries, each ordered by the newest time seen so far in its file (keeps the file's order). */
function entriesOf(dir: string, file: string, year: number, tzOffsetS: number): Entry[] {
  const text = readFileSync(path.join(dir, file), "latin1");
  const lines = text.split("\n");
  if (lines.at(-1) === "") lines.pop();
  const userLog = file.startsWith(path.join("dspam", "data"));
  const entries: Entry[] = [];
  let newest = 0;
  let month = -1;
  let lineNo = 0;
  let seenIds = 0;
  for (const line of lines) {
    lineNo += 1;
    if (userLog && line === "") continue; // the blank line after each record goes with the record
    let ts = Number.NaN;
    const classic = CLASSIC.exec(line);
    if (classic) {
      const [, mon, day, h, m, s] = classic;
      const index = MONTHS.indexOf(mon as string);
      if (index < month) year += 1; // December → January
      month = index;
      ts = Date.UTC(year, index, Number(day), Number(h), Number(m), Number(s)) - tzOffsetS * 1000;
    } else if (/^\d{9,}\t/.test(line)) ts = Number(line.split("\t")[0]) * 1000;
    else ts = Date.parse(line.split(" ")[0] as string);
    if (Number.isFinite(ts)) newest = Math.max(newest, ts);
    const entry: Entry = {
      file,
      text: userLog ? `${line}\n\n` : `${line}\n`,
      lineNo,
      order: newest,
      sampled: false,
    };
    if (/^\d{9,}\t/.test(line)) {
      // DSPAM writes each record to system.log and the user's log: the same record, stored once.
      const fields = line.split("\t");
      const user = userLog ? path.basename(file, ".log") : fields[6];
      entry.record = [fields[0], fields[1], fields[3], user].join("|");
    }
    if ((file === MAIL || file === SYSLOG) && lineNo % SAMPLE_EVERY === 1) entry.sampled = true;
    const messageId = /cleanup\[\d+\]: \w+: message-id=<([^>]+)>/.exec(line)?.[1];
    if (messageId) {
      seenIds += 1;
      if (seenIds % SAMPLE_EVERY === 1) entry.messageId = messageId;
    }
    entries.push(entry);
  }
  return entries;
}

/** The generated log's lines as the server wrote them, merged in time order (each file in its own order). */
function feed(dir: string, year: number, tzOffsetS: number): Entry[] {
  const files = [MAIL];
  if (!maillogOnly) {
    files.push(SYSLOG, SYSTEM_LOG);
    const data = path.join("dspam", "data");
    for (const user of readdirSync(path.join(dir, data)).sort())
      for (const name of readdirSync(path.join(dir, data, user)).sort())
        if (name.endsWith(".log")) files.push(path.join(data, user, name));
  }
  const entries = files.flatMap((file) => entriesOf(dir, file, year, tzOffsetS));
  return entries.sort((a, b) => a.order - b.order); // stable: ties keep the files' order
}

const ms = (n: number) => `${fmt(n)} ms`;
const mib = (kb: number) => `${(kb / 1024).toFixed(1)} MiB`;

function clockTicks(): number {
  const result = spawnSync("getconf", ["CLK_TCK"], { encoding: "utf8" });
  const ticks = Number(result.stdout?.trim());
  return Number.isFinite(ticks) && ticks > 0 ? ticks : 100;
}

/** utime + stime of a process, in clock ticks (/proc/PID/stat fields 14 and 15). */
function cpuTicksOf(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  return Number(fields[11]) + Number(fields[12]);
}

/** VmRSS and VmHWM (peak) of a process, in KiB. */
function memoryOf(pid: number): { rssKb: number; peakKb: number } {
  const status = readFileSync(`/proc/${pid}/status`, "utf8");
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(status)?.[1] ?? Number.NaN);
  return { rssKb: field("VmRSS"), peakKb: field("VmHWM") };
}

type Child = {
  process: ChildProcess;
  pid: number;
  lines: string[];
  stderr: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  exit?: { code: number | null; signal: NodeJS.Signals | null };
};

function startFollow(dbFile: string, year: string, logsDir: string): Child {
  // The follow unit's environment as far as node is concerned: the CLI's shebang's (tests/service-units.test.ts).
  const env = { ...process.env, ...cliNodeEnv() };
  delete env.SPAMTRAIL_REPORT_TO; // no weekly report task
  const spawned = spawn(
    process.execPath,
    [
      ...followNodeFlags(),
      CLI_ENTRY,
      "follow",
      ...["--db", dbFile, "--year", year, "--retention-days", "0"],
      logsDir,
    ],
    { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] },
  );
  if (spawned.pid === undefined) throw new Error("could not start spamtrail follow");
  const child: Child = {
    process: spawned,
    pid: spawned.pid,
    lines: [],
    stderr: [],
    exited: new Promise((resolve) => {
      spawned.once("exit", (code, signal) => {
        child.exit = { code, signal };
        resolve(child.exit);
      });
    }),
  };
  createInterface({ input: spawned.stdout as NodeJS.ReadableStream }).on("line", (line) => {
    child.lines.push(line);
  });
  createInterface({ input: spawned.stderr as NodeJS.ReadableStream }).on("line", (line) => {
    child.stderr.push(line);
  });
  return child;
}

const exitText = (exit: { code: number | null; signal: NodeJS.Signals | null }) =>
  exit.signal ? `killed by ${exit.signal}` : `exit code ${exit.code}`;

function assertRunning(child: Child): void {
  if (child.exit) throw new Error(`spamtrail follow ended (${exitText(child.exit)})`);
}

async function waitFor(
  what: string,
  timeoutMs: number,
  condition: () => boolean,
  child: Child,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  while (!condition()) {
    assertRunning(child);
    if (performance.now() > deadline) throw new Error(`timed out after ${ms(timeoutMs)} waiting for ${what}`);
    await sleep(POLL_MS);
  }
}

const work = mkdtempSync(path.join(tmpdir(), "spamtrail-bench-follow-"));
const logsDir = path.join(work, "logs");
const dbFile = path.join(work, "follow.db");
let child: Child | undefined;
let db: Db | undefined;
const fds = new Map<string, number>();

function cleanUp(): void {
  for (const fd of fds.values()) closeSync(fd);
  fds.clear();
  db?.close();
  db = undefined;
  if (child && !child.exit) child.process.kill("SIGKILL");
  rmSync(work, { recursive: true, force: true });
}

for (const signal of ["SIGINT", "SIGTERM"] as const)
  process.once(signal, () => {
    console.error(`\n${signal}: stopping follow and removing ${work}`);
    cleanUp();
    process.exit(130);
  });
process.once("exit", () => {
  if (child && !child.exit) child.process.kill("SIGKILL");
});

async function main(): Promise<void> {
  const cores = cpus().length;
  const loadAtStart = loadavg();
  const ticksPerSecond = clockTicks();

  // 1. The generated log, big enough for rate × seconds lines.
  let size = Math.max(10_000, Math.ceil(total / 10_000) * 10_000);
  let logs = generatedLogs(size, seed);
  let params = JSON.parse(readFileSync(logs.truth, "utf8")).params as { start: string; tz_offset_s?: number };
  let year = String(params.start).slice(0, 4);
  let entries = feed(logs.dir, Number(year), params.tz_offset_s ?? 0);
  while (entries.length < total) {
    size += 10_000;
    logs = generatedLogs(size, seed);
    params = JSON.parse(readFileSync(logs.truth, "utf8")).params;
    year = String(params.start).slice(0, 4);
    entries = feed(logs.dir, Number(year), params.tz_offset_s ?? 0);
  }
  entries = entries.slice(0, total);

  const perFile = new Map<string, number>();
  for (const e of entries) perFile.set(e.file, (perFile.get(e.file) ?? 0) + 1);
  const userLogs = [...perFile.keys()].filter((f) => f.startsWith(path.join("dspam", "data")));
  const userRecords = userLogs.reduce((sum, f) => sum + (perFile.get(f) ?? 0), 0);
  const records = new Set(entries.flatMap((e) => (e.record ? [e.record] : [])));
  console.log(`generated log: ${logs.dir} (seed ${seed}, year ${year})`);
  console.log(
    maillogOnly
      ? `written: mail.log only (--maillog-only), ${fmt(total)} lines`
      : `written: ${fmt(total)} lines in time order: mail.log ${fmt(perFile.get(MAIL) ?? 0)} · syslog ${fmt(perFile.get(SYSLOG) ?? 0)} · ` +
          `DSPAM system.log ${fmt(perFile.get(SYSTEM_LOG) ?? 0)} · DSPAM user logs ${fmt(userRecords)} records ` +
          `(2 lines each) in ${fmt(userLogs.length)} files created as their first record is written`,
  );

  // 2. Empty files, then follow, until it has caught up.
  mkdirSync(path.join(logsDir, "dspam", "data"), { recursive: true });
  const fileOf = (file: string) => {
    let fd = fds.get(file);
    if (fd === undefined) {
      mkdirSync(path.dirname(path.join(logsDir, file)), { recursive: true });
      fd = openSync(path.join(logsDir, file), "a");
      fds.set(file, fd);
    }
    return fd;
  };
  fileOf(MAIL);
  if (!maillogOnly) {
    fileOf(SYSLOG);
    fileOf(SYSTEM_LOG);
  }
  const started = performance.now();
  child = startFollow(dbFile, year, logsDir);
  const running = child;
  await waitFor(
    'follow\'s "Caught up" line',
    60_000,
    () => running.lines.some((l) => l.startsWith("Caught up")),
    running,
  );
  const nodeEnvWords = Object.entries(cliNodeEnv())
    .map(([name, value]) => `${name}=${value} `)
    .join("");
  console.log(
    `follow: pid ${running.pid} (${nodeEnvWords}node ${followNodeFlags().join(" ")}, as the follow service), started in ${ms(performance.now() - started)}`,
  );
  for (const line of running.lines) console.log(`  | ${line}`);
  const shown = running.lines.length;

  // 3. The database, read-only: lines of the blocks stored since the last poll, newest line per source.
  db = openDatabase(dbFile, { readonly: true });
  const reader = db;
  const newBlocks = reader.prepare(
    "SELECT id, count, compressed, data FROM LineBlock WHERE id > ? ORDER BY id",
  );
  const storedLines: BlockLine[] = [];
  const newRows = {
    all(after: number) {
      const newest = new Map<number, { id: number; n: number; top: number }>();
      for (const block of newBlocks.all(after) as Parameters<typeof decodeBlock>[0][]) {
        for (const line of decodeBlock(block)) {
          storedLines.push(line);
          const row = newest.get(line.sourceId) ?? { id: line.sourceId, n: 0, top: 0 };
          row.n = Math.max(row.n, line.lineNo);
          row.top = Math.max(row.top, block.id);
          newest.set(line.sourceId, row);
        }
      }
      return [...newest.values()];
    },
  };
  const sourcePath = reader.prepare("SELECT path FROM Source WHERE id = ?");
  const fileOfSource = new Map<number, string>();
  const seenUpTo = new Map<string, number>();
  let lastId = 0;
  type Sample = { lineNo: number; at: number };
  const pending = new Map<string, { samples: Sample[]; next: number }>();
  const lags: { at: number; lag: number }[] = [];
  let polls = 0;
  let pollMs = 0;
  const poll = () => {
    const now = performance.now();
    const rows = newRows.all(lastId) as { id: number; n: number; top: number }[];
    pollMs += performance.now() - now;
    polls += 1;
    for (const row of rows) {
      lastId = Math.max(lastId, row.top);
      let file = fileOfSource.get(row.id);
      if (file === undefined) {
        const found = sourcePath.get(row.id) as { path: string } | undefined;
        file = found ? path.relative(logsDir, found.path) : "";
        fileOfSource.set(row.id, file);
      }
      seenUpTo.set(file, Math.max(seenUpTo.get(file) ?? 0, row.n));
    }
    for (const [file, queue] of pending) {
      const upTo = seenUpTo.get(file) ?? 0;
      while (queue.next < queue.samples.length) {
        const sample = queue.samples[queue.next] as Sample;
        if (sample.lineNo > upTo) break;
        lags.push({ at: sample.at, lag: now - sample.at });
        queue.next += 1;
      }
    }
  };
  // Messages: from their cleanup line's append to a journey with their Message-ID (what a search finds).
  const journeyOf = reader.prepare("SELECT 1 FROM Journey WHERE messageId = ?").pluck();
  const messagesDue: { id: string; at: number }[] = [];
  const messageLags: number[] = [];
  const pollMessages = () => {
    const now = performance.now();
    for (let i = 0; i < messagesDue.length; ) {
      const due = messagesDue[i] as { id: string; at: number };
      if (journeyOf.get(due.id)) {
        messageLags.push(now - due.at);
        messagesDue.splice(i, 1);
      } else i += 1;
    }
  };
  const poller = setInterval(() => {
    poll();
    pollMessages();
  }, POLL_MS);

  try {
    // 4. The load: every 50 ms, the lines due by now (rate × elapsed), each run of one file's lines in one write.
    const cpuBefore = cpuTicksOf(running.pid);
    const ownCpuBefore = process.cpuUsage();
    const t0 = performance.now();
    let sent = 0;
    let writes = 0;
    let lateMs = 0;
    for (let tick = 1; sent < total; tick += 1) {
      const due = t0 + tick * TICK_MS;
      // Timers may fire a little early: wait until the tick is really due.
      while (performance.now() < due) await sleep(Math.max(1, due - performance.now()));
      assertRunning(running);
      const now = performance.now();
      lateMs = Math.max(lateMs, now - due);
      const target = Math.min(total, Math.floor((rate * (now - t0)) / 1000));
      while (sent < target) {
        const file = (entries[sent] as Entry).file;
        let end = sent;
        while (end < target && (entries[end] as Entry).file === file) end += 1;
        const bytes = Buffer.from(
          entries
            .slice(sent, end)
            .map((e) => e.text)
            .join(""),
          "latin1",
        );
        const fd = fileOf(file);
        for (let written = 0; written < bytes.length; )
          written += writeSync(fd, bytes, written, bytes.length - written);
        writes += 1;
        const at = performance.now();
        for (let i = sent; i < end; i += 1) {
          const entry = entries[i] as Entry;
          if (entry.messageId) messagesDue.push({ id: entry.messageId, at });
          if (!entry.sampled) continue;
          const queue = pending.get(file) ?? { samples: [], next: 0 };
          pending.set(file, queue);
          queue.samples.push({ lineNo: entry.lineNo, at });
        }
        sent = end;
      }
    }
    const writeMs = performance.now() - t0;
    const cpuLoad = cpuTicksOf(running.pid) - cpuBefore;
    const ownCpu = process.cpuUsage(ownCpuBefore);

    // 5. Until every line written to mail.log and syslog is visible, and every DSPAM record.
    const drainStart = performance.now();
    const recordCount = { get: () => ({ n: storedLines.filter((l) => l.event === "dspam.record").length }) };
    let recordsStored = 0;
    let lastRecordCheck = 0;
    const complete = () => {
      for (const file of [MAIL, SYSLOG])
        if ((seenUpTo.get(file) ?? 0) < (perFile.get(file) ?? 0)) return false;
      if (records.size === 0) return true;
      if (performance.now() - lastRecordCheck < 200) return false;
      lastRecordCheck = performance.now();
      recordsStored = (recordCount.get() as { n: number }).n;
      return recordsStored >= records.size;
    };
    let drained = true;
    await waitFor("the last lines", DRAIN_TIMEOUT_MS, complete, running).catch((error: Error) => {
      console.log(`\n${error.message}: reporting what is there`);
      drained = false;
    });
    const drainMs = performance.now() - drainStart;
    clearInterval(poller);
    poll();
    pollMessages();

    const sampled = [...pending.values()].reduce((sum, q) => sum + q.samples.length, 0);
    const sorted = lags.map((l) => l.lag).sort((a, b) => a - b);
    console.log(
      `\nload: ${fmt(total)} lines in ${(writeMs / 1000).toFixed(1)} s = ${fmt((total / writeMs) * 1000)} lines/s ` +
        `(asked ${fmt(rate)}), ${fmt(writes)} writes, every ${TICK_MS} ms (a tick at most ${ms(lateMs)} late)`,
    );
    console.log(
      `lag from append to visible in the database: every ${SAMPLE_EVERY}th line of ` +
        `${maillogOnly ? "mail.log" : "mail.log and syslog (DSPAM records are stored once from two files, not sampled)"}, ` +
        `database polled every ${POLL_MS} ms ` +
        `(${polls} polls, ${(pollMs / Math.max(1, polls)).toFixed(1)} ms each)`,
    );
    console.log(
      `  ${fmt(sorted.length)} of ${fmt(sampled)} sampled lines seen: median ${ms(percentile(sorted, 50))} · ` +
        `p95 ${ms(percentile(sorted, 95))} · p99 ${ms(percentile(sorted, 99))} · max ${ms(sorted.at(-1) ?? 0)}   ` +
        `(aim: p99 under ${AIM_P99_MS / 1000} s: ${percentile(sorted, 99) < AIM_P99_MS ? "met" : "MISSED"})`,
    );
    const windows: string[] = [];
    const windowCount = Math.max(1, Math.floor(writeMs / 5000));
    for (let window = 0; window < windowCount; window += 1) {
      const from = window * 5000;
      const to = window === windowCount - 1 ? Number.POSITIVE_INFINITY : from + 5000;
      const inWindow = lags
        .filter((l) => l.at - t0 >= from && l.at - t0 < to)
        .map((l) => l.lag)
        .sort((a, b) => a - b);
      if (inWindow.length > 0) windows.push(`${(percentile(inWindow, 99) / 1000).toFixed(2)}`);
    }
    console.log(`  p99 per 5 s of writing (s): ${windows.join(" ")}`);
    console.log(`  last line visible ${ms(drainMs)} after the writing ended`);
    const messageSorted = messageLags.sort((a, b) => a - b);
    console.log(
      `message in search (a journey with its Message-ID) after its cleanup line, every ${SAMPLE_EVERY}th message: ` +
        `${fmt(messageSorted.length)} of ${fmt(messageSorted.length + messagesDue.length)} seen: ` +
        `median ${ms(percentile(messageSorted, 50))} · p95 ${ms(percentile(messageSorted, 95))} · ` +
        `p99 ${ms(percentile(messageSorted, 99))} · max ${ms(messageSorted.at(-1) ?? 0)}`,
    );
    console.log(
      `follow's CPU while following: ${((cpuLoad / ticksPerSecond / (writeMs / 1000)) * 100).toFixed(0)} % of one core ` +
        `(this bench, writing and polling: ${(((ownCpu.user + ownCpu.system) / 1000 / writeMs) * 100).toFixed(0)} %)`,
    );

    // 6. Lines stored against lines written: none lost, none twice.
    const bySource = new Map<number, BlockLine[]>();
    for (const line of storedLines) {
      const lines = bySource.get(line.sourceId) ?? [];
      lines.push(line);
      bySource.set(line.sourceId, lines);
    }
    const stored = [...bySource].map(([id, lines]) => ({
      path: (sourcePath.get(id) as { path: string }).path,
      n: lines.length,
      distinctLines: new Set(lines.map((line) => line.lineNo)).size,
    }));
    const rowsOf = (file: string) => stored.find((s) => path.relative(logsDir, s.path) === file);
    recordsStored = (recordCount.get() as { n: number }).n;
    const totalRows = stored.reduce((sum, s) => sum + s.n, 0);
    console.log(`stored (${drained ? "all caught up" : "NOT caught up"}): ${fmt(totalRows)} lines`);
    for (const file of [MAIL, SYSLOG]) {
      const written = perFile.get(file) ?? 0;
      if (written === 0) continue;
      const rows = rowsOf(file);
      const verdict =
        rows?.n === written && rows.distinctLines === written
          ? "every line once"
          : "LOST OR DUPLICATED LINES";
      console.log(
        `  ${file.padEnd(18)} ${fmt(rows?.n ?? 0).padStart(7)} rows, ${fmt(rows?.distinctLines ?? 0).padStart(7)} distinct line numbers, ` +
          `${fmt(written).padStart(7)} lines written: ${verdict}`,
      );
    }
    if (records.size > 0) {
      const inSystem = rowsOf(SYSTEM_LOG)?.n ?? 0;
      const inUsers = stored
        .filter((s) => path.relative(logsDir, s.path).startsWith(path.join("dspam", "data")))
        .reduce((sum, s) => sum + s.n, 0);
      console.log(
        `  ${"DSPAM records".padEnd(18)} ${fmt(recordsStored).padStart(7)} rows (${fmt(inSystem)} from system.log, ${fmt(inUsers)} from user logs), ` +
          `${fmt(records.size)} distinct records written: ${recordsStored === records.size ? "each once" : "LOST OR DUPLICATED RECORDS"}`,
      );
    }
  } finally {
    clearInterval(poller);
    reader.close();
    db = undefined;
  }

  // 7. Idle: no more lines; follow's CPU over a while, and its memory.
  for (const fd of fds.values()) closeSync(fd);
  fds.clear();
  await sleep(idleWait * 1000);
  assertRunning(running);
  const idleBefore = cpuTicksOf(running.pid);
  const idleStart = performance.now();
  await sleep(idleSeconds * 1000);
  assertRunning(running);
  const idleTicks = cpuTicksOf(running.pid) - idleBefore;
  const idleMs = performance.now() - idleStart;
  const memory = memoryOf(running.pid);
  console.log(
    `idle (from ${idleWait} s after the last line, for ${(idleMs / 1000).toFixed(1)} s): follow's CPU ` +
      `${((idleTicks / ticksPerSecond / (idleMs / 1000)) * 100).toFixed(2)} % of one core ` +
      `(${idleTicks} ticks of 1/${ticksPerSecond} s) · RSS ${mib(memory.rssKb)} · peak RSS ${mib(memory.peakKb)}`,
  );

  // 8. Stop.
  const stopStart = performance.now();
  running.process.kill("SIGTERM");
  const giveUp = new AbortController();
  const exit = await Promise.race([
    running.exited,
    sleep(STOP_TIMEOUT_MS, undefined, { signal: giveUp.signal }).catch(() => undefined),
  ]);
  giveUp.abort();
  if (!exit) {
    running.process.kill("SIGKILL");
    await running.exited;
    throw new Error(`follow did not stop within ${STOP_TIMEOUT_MS / 1000} s of SIGTERM; killed`);
  }
  console.log(`stop: SIGTERM → ${exitText(exit)} after ${ms(performance.now() - stopStart)}`);
  const later = running.lines.slice(shown);
  const newFiles = later.filter((l) => l.endsWith(": new log file, following it")).length;
  if (newFiles > 0) console.log(`  | (${newFiles} × "<file>: new log file, following it")`);
  for (const line of later.filter((l) => !l.endsWith(": new log file, following it")))
    console.log(`  | ${line}`);
  for (const line of running.stderr) console.log(`  stderr | ${line}`);
  const loadAtEnd = loadavg();
  console.log(
    `machine: ${cores} cores; load average ${loadAtStart[0]?.toFixed(2)} at the start, ${loadAtEnd[0]?.toFixed(2)} at the end`,
  );
  if (exit.code !== 0) throw new Error(`follow stopped with ${exitText(exit)}`);
}

try {
  await main();
} catch (error) {
  console.error(`\nbench:follow failed: ${error instanceof Error ? error.message : String(error)}`);
  if (child && child.lines.length > 0)
    console.error(`follow's output:\n${child.lines.slice(-20).join("\n")}`);
  if (child && child.stderr.length > 0)
    console.error(`follow's stderr:\n${child.stderr.slice(-20).join("\n")}`);
  process.exitCode = 1;
} finally {
  cleanUp();
}
