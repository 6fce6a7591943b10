import { type FSWatcher, watch } from "node:fs";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { type FileKind, streamOf } from "../file-kind.ts";
import { openFile } from "../open-input.ts";
import { sniff } from "../sniff.ts";

/** A log file found in a followed directory. */
export type FoundLog = { path: string; kind: FileKind; dspamUser?: string };

// DSPAM keeps one signature file per message in <user>.sig/: thousands of small binary files.
const SKIPPED_DIRECTORIES = /\.sig$/;

/**
 * The log files inside followed directories (DSPAM's data dir, /var/log/dovecot/…), including
 * those created later: each directory is watched, and walked again when something appears in it.
 * Rotated copies are not followed (the tail of their file finishes them); files that are not logs
 * (DSPAM's .css dictionaries, .stats) are looked at once.
 */
export class LogDirectories {
  private readonly known = new Set<string>();
  private readonly watchers = new Map<string, FSWatcher>();
  private readonly due = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private walking: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly roots: readonly string[],
    private readonly onFound: (log: FoundLog) => void,
    private readonly skip: (file: string) => boolean,
  ) {}

  /** Walks the directories (one walk at a time); reports each log file not reported before. */
  scan(dirs: readonly string[] = this.roots): Promise<void> {
    this.walking = this.walking.then(async () => {
      for (const dir of dirs) await this.walk(dir);
    });
    return this.walking;
  }

  /** Closes the watchers. */
  close(): void {
    this.closed = true;
    clearTimeout(this.timer);
    for (const watcher of this.watchers.values()) watcher.close();
    this.watchers.clear();
  }

  private async walk(dir: string): Promise<void> {
    if (this.closed) return;
    const entries = await readdir(dir, { withFileTypes: true }).catch(() => undefined);
    // Closed while reading the directory: a watcher made now would keep the process alive.
    if (!entries || this.closed) return;
    this.watchDirectory(dir);
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.test(entry.name)) await this.walk(full);
      } else if (entry.isFile() && !this.known.has(full) && !this.closed) {
        if (streamOf(full) !== full || this.skip(full)) this.known.add(full);
        else await this.consider(full);
      }
    }
  }

  private async consider(file: string): Promise<void> {
    const input = await openFile(file).catch(() => undefined);
    if (!input) return;
    const sniffed = sniff(input.head, file);
    // An empty file may become a log (DSPAM creates a user's log before writing to it): look again later.
    if (sniffed.verdict === "empty") return;
    this.known.add(file);
    if (sniffed.verdict === "log")
      this.onFound({ path: file, kind: sniffed.kind, dspamUser: sniffed.dspamUser });
  }

  private watchDirectory(dir: string): void {
    if (this.watchers.has(dir)) return;
    try {
      const watcher = watch(dir, (_event, name) => {
        // Lines appended to a file already known change nothing here.
        if (name === null || !this.known.has(path.join(dir, name))) this.soon(dir);
      });
      // A directory that disappears ends its watcher; the periodic scan finds it again if it comes back.
      watcher.on("error", () => {
        watcher.close();
        this.watchers.delete(dir);
      });
      this.watchers.set(dir, watcher);
    } catch {
      // Out of inotify watches: the periodic scan still finds new files, later.
    }
  }

  private soon(dir: string): void {
    this.due.add(dir);
    if (this.timer || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const dirs = [...this.due];
      this.due.clear();
      void this.scan(dirs);
    }, 100);
  }
}
