import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";

// The database holds the administrator's password hash, the sessions and mail logs Debian keeps
// to the adm group: owner only, or owner and group where the directory is shared with a group on
// purpose (systemd's StateDirectoryMode=0750).
const MOST_FILE = 0o640;
const MOST_DIR = 0o750;

/** The files SQLite and Spamtrail keep beside a database. */
export function databaseFiles(dbFile: string): string[] {
  const lock = `${dbFile}.writer.lock`;
  return [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`, lock, `${lock}-journal`];
}

const octal = (mode: number) => (mode & 0o777).toString(8).padStart(4, "0");

const warnOnStderr = (message: string) => {
  process.stderr.write(`spamtrail: ${message}\n`);
};

/** Mode for a new file in `dir`: 0640 when the directory lets its group in and nobody else, else 0600. */
export function privateFileMode(dir: string): number {
  return (statSync(dir).mode & 0o057) === 0o050 ? 0o640 : 0o600;
}

/** Creates `file` (if missing) readable by the owner only (and the group, see privateFileMode). */
export function createPrivateFile(file: string): void {
  if (existsSync(file)) return;
  try {
    closeSync(openSync(file, "wx", privateFileMode(path.dirname(file))));
  } catch (error) {
    // Another process made it first: its mode is checked like any existing file's.
    if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
  }
}

// A directory others may write to (/tmp), or a home directory, is not Spamtrail's to change.
function ownDirectory(dir: string, mode: number): boolean {
  if (mode & 0o1002) return false;
  const resolved = path.resolve(dir);
  return resolved !== path.parse(resolved).root && resolved !== path.resolve(homedir());
}

function tighten(file: string, most: number, warn: (message: string) => void): void {
  let mode: number;
  try {
    mode = statSync(file).mode & 0o7777;
  } catch {
    return;
  }
  const extra = mode & 0o777 & ~most;
  if (extra === 0) return;
  const fixed = mode & ~extra;
  try {
    chmodSync(file, fixed);
    warn(`${file} was open to other users (mode ${octal(mode)}); changed to ${octal(fixed)}`);
  } catch (error) {
    warn(
      `${file} is open to other users (mode ${octal(mode)}) and could not be changed: ${(error as Error).message}`,
    );
  }
}

/**
 * Makes the database's directory (created 0700) and its files (created 0600) private before SQLite
 * opens them; SQLite gives its -wal, -shm and -journal files the database's mode. Files and a
 * directory left open by an older version (0644, 0755) are tightened, with a warning.
 */
export function secureDatabaseFiles(dbFile: string, warn: (message: string) => void = warnOnStderr): void {
  const dir = path.dirname(dbFile);
  if (!existsSync(dir)) mkdirSync(dir, { recursive: true, mode: 0o700 });
  else if (ownDirectory(dir, statSync(dir).mode)) tighten(dir, MOST_DIR, warn);
  for (const file of databaseFiles(dbFile)) tighten(file, MOST_FILE, warn);
  createPrivateFile(dbFile);
}
