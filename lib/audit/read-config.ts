import { execFile } from "node:child_process";
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { recogniseConfig } from "./recognise.ts";
import type { ConfigFile } from "./types.ts";

/** What was read for an audit: the files, and what was looked for and not found or skipped. */
export type ConfigRead = {
  files: ConfigFile[];
  /** One line each: "read /etc/postfix/main.cf", "postconf: not found" … */
  notes: string[];
  /** Paths given that could not be read or recognised: reported as unreadable-config. */
  unreadable: { file: string; reason: string }[];
};

const MAX_BYTES = 1024 * 1024;
const MAX_FILES = 5000;
const SKIP_DIRS = new Set([".git", "node_modules", "ssl", "certs", "alternatives"]);

/** Reads the PATHs given: files by content and name, directories walked (a copy of /etc works). */
export function readConfigPaths(paths: string[]): ConfigRead {
  const out: ConfigRead = { files: [], notes: [], unreadable: [] };
  for (const given of paths) {
    const full = path.resolve(given);
    let info: ReturnType<typeof statSync>;
    try {
      info = statSync(full);
    } catch (error) {
      out.unreadable.push({ file: full, reason: describeError(error) });
      continue;
    }
    if (info.isDirectory()) walk(full, out, 0);
    else readOne(full, out, true);
  }
  return out;
}

function walk(dir: string, out: ConfigRead, depth: number) {
  if (depth > 12 || out.files.length >= MAX_FILES) return;
  let entries: string[];
  try {
    entries = readdirSync(dir).sort();
  } catch (error) {
    out.notes.push(`${dir}: ${describeError(error)}`);
    return;
  }
  for (const entry of entries) {
    const full = path.join(dir, entry);
    let info: ReturnType<typeof lstatSync>;
    try {
      info = lstatSync(full);
    } catch {
      continue;
    }
    if (info.isDirectory() && !SKIP_DIRS.has(entry)) walk(full, out, depth + 1);
    else if (info.isFile() && info.size <= MAX_BYTES) readOne(full, out, false);
  }
}

function readOne(file: string, out: ConfigRead, explicit: boolean) {
  let buffer: Buffer;
  try {
    buffer = readFileSync(file);
  } catch (error) {
    if (explicit) out.unreadable.push({ file, reason: describeError(error) });
    else out.notes.push(`${file}: ${describeError(error)}`);
    return;
  }
  if (buffer.subarray(0, 8192).includes(0)) {
    if (explicit)
      out.unreadable.push({ file, reason: "a binary file (a compiled .db map? give its source file)" });
    return;
  }
  const text = buffer.toString("utf8");
  const { kind, mapLike } = recogniseConfig(file, text);
  if (kind) out.files.push({ path: file, kind, text });
  else if (mapLike || explicit) out.files.push({ path: file, kind: "postfix-map", text });
}

export type CommandRunner = (
  command: string,
  args: string[],
) => Promise<{ ok: true; stdout: string } | { ok: false; reason: string }>;

/** Runs commands found on the environment's PATH or in the sbin directories, with a time limit. */
export const commandRunner =
  (env: NodeJS.ProcessEnv): CommandRunner =>
  (command, args) =>
    new Promise((resolve) => {
      const found = findExecutable(command, env.PATH ?? "");
      if (!found) {
        resolve({ ok: false, reason: "not found" });
        return;
      }
      execFile(found, args, { env, timeout: 15_000, maxBuffer: 8 * MAX_BYTES }, (error, stdout, stderr) => {
        if (error)
          resolve({ ok: false, reason: (stderr.trim().split("\n")[0] || error.message).slice(0, 200) });
        else resolve({ ok: true, stdout });
      });
    });

function findExecutable(command: string, searchPath: string): string | null {
  const dirs = [...searchPath.split(path.delimiter), "/usr/sbin", "/usr/local/sbin", "/sbin"];
  for (const dir of dirs) {
    if (dir === "") continue;
    const candidate = path.join(dir, command);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

const COMMANDS: { label: string; command: string; args: string[]; kind: ConfigFile["kind"] }[] = [
  { label: "postconf -n", command: "postconf", args: ["-n"], kind: "postconf-n" },
  { label: "postconf -M", command: "postconf", args: ["-M"], kind: "postconf-M" },
  { label: "postconf -P", command: "postconf", args: ["-P"], kind: "postconf-P" },
  { label: "doveconf -n", command: "doveconf", args: ["-n"], kind: "doveconf-n" },
];

/** No PATH given: the running server's own configuration (postconf/doveconf output and /etc/postfix, /etc/dovecot, /etc/dspam, /etc/rspamd). */
export async function readServerConfig(
  run: CommandRunner = commandRunner(process.env),
  roots = ["/etc/postfix", "/etc/dovecot", "/etc/dspam", "/etc/rspamd", "/etc/aliases"],
): Promise<ConfigRead> {
  const out: ConfigRead = { files: [], notes: [], unreadable: [] };
  for (const c of COMMANDS) {
    const answer = await run(c.command, c.args);
    if (answer.ok) {
      out.files.push({ path: c.label, kind: c.kind, text: answer.stdout });
      out.notes.push(`ran ${c.label}`);
    } else out.notes.push(`${c.label}: ${answer.reason}`);
  }
  for (const root of roots) {
    if (!existsSync(root)) {
      out.notes.push(`${root}: not found`);
      continue;
    }
    const read = readConfigPaths([root]);
    out.files.push(...read.files);
    out.notes.push(
      `read ${root} (${read.files.length} file${read.files.length === 1 ? "" : "s"})`,
      ...read.notes,
    );
    out.unreadable.push(...read.unreadable);
  }
  return out;
}

function describeError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === "ENOENT") return "no such file or directory";
  if (code === "EACCES") return "permission denied";
  return (error as Error).message;
}
