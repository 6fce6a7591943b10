import { constants } from "node:fs";
import { access, stat } from "node:fs/promises";
import path from "node:path";
import type { Db } from "../../db/connection.ts";
import { SqliteFollowStore } from "../../store/sqlite-follow-store.ts";
import type { CorrelationSink, CorrelationTotals } from "../correlate-sink.ts";
import { InputError } from "../discover.ts";
import { LinePipeline, type Totals } from "../line-pipeline.ts";
import { filesToCatchUp } from "./catch-up.ts";
import type { FollowStore } from "./follow-store.ts";
import { Follower } from "./follower.ts";
import { LiveLines } from "./live-lines.ts";
import { type FoundLog, LogDirectories } from "./log-directories.ts";
import { type PeriodicTask, PeriodicTasks, type TaskContext } from "./periodic.ts";
import { type FileRead, type ReadRequest, readFiles } from "./read-files.ts";
import { findRotated } from "./rotations.ts";
import { followTasks, type TaskIntervals, type TasksHost, writeStatus } from "./tasks.ts";

export type FollowOptions = {
  year?: number;
  localDomains?: readonly string[];
  /** Longest a line waits before it is written (default 200 ms). */
  flushMs?: number;
  /** Lines per write transaction (default 2000). */
  batchLines?: number;
  /** How long a rotated file is watched for lines its writer adds late (default 5 minutes). */
  lateWriteMs?: number;
  /** Days of data kept (older lines, journeys, trainings and evidence are pruned hourly); 0 keeps everything. */
  retentionDays?: number;
  /** Periodic tasks besides follow's own (the weekly report adds one here). */
  tasks?: readonly PeriodicTask[];
  /** Intervals of follow's own tasks, shortened by tests. */
  intervals?: TaskIntervals;
  log?: (message: string) => void;
  now?: () => number;
  /** Called inside each write transaction that stores lines, with their number (tests). */
  onCommit?: (fresh: number) => void;
  /** Stops waiting for the writer lock (SIGTERM while another writer holds it). */
  signal?: AbortSignal;
};

export type FollowHandle = {
  /** The files followed now. */
  files(): string[];
  totals: Totals;
  correlation: CorrelationTotals;
  /** Resolves when every line delivered so far is committed. */
  settle(): Promise<void>;
  /** Stops following: the last lines read are committed and mail in flight is written as it stands. */
  stop(): Promise<void>;
  /** Settles when following ended: resolved after stop(), rejected when writing failed for good. */
  done: Promise<void>;
};

const MAX_RETRY_MS = 60_000;

/**
 * `spamtrail follow`: reads every file from where the store says it was left (catch-up, merged in
 * time order), then follows each with tail-file through rotation and truncation, writing through the
 * same pipeline as batch ingest. Positions and the correlator's state are committed with the lines.
 * While another process writes the database, it waits for its turn (saying so through `log`).
 */
export async function follow(
  target: Db | FollowStore,
  paths: readonly string[],
  options: FollowOptions = {},
): Promise<FollowHandle> {
  const store = "prepare" in target ? new SqliteFollowStore(target) : target;
  const release = await store.lock({ onWait: options.log, signal: options.signal });
  try {
    const engine = new FollowEngine(store, options);
    await engine.start(paths);
    const handle = engine.handle();
    handle.done.then(release, release);
    return handle;
  } catch (error) {
    await release();
    throw error;
  }
}

class FollowEngine {
  readonly followers = new Map<string, Follower>();
  private readonly now: () => number;
  private readonly log: (message: string) => void;
  private readonly sink: CorrelationSink | undefined;
  private readonly pipeline: LinePipeline;
  private readonly live: LiveLines;
  private queue: Promise<unknown> = Promise.resolve();
  private directories: LogDirectories | undefined;
  private periodic: PeriodicTasks | undefined;
  private stopping: Promise<void> | undefined;
  private running = false;
  private finished!: { resolve: () => void; reject: (error: unknown) => void };
  readonly done = new Promise<void>((resolve, reject) => {
    this.finished = { resolve, reject };
  });

  constructor(
    private readonly store: FollowStore,
    private readonly options: FollowOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.log = options.log ?? (() => {});
    this.sink = store.sink({ localDomains: options.localDomains, live: true });
    this.pipeline = new LinePipeline(store.pipeline, {
      now: this.now,
      batchLines: options.batchLines ?? 2000,
      sink: this.sink,
      hooks: { onLines: options.onCommit },
    });
    this.live = new LiveLines({
      pipeline: this.pipeline,
      followers: this.followers,
      year: options.year,
      now: this.now,
      flushMs: options.flushMs ?? 200,
      commit: (seen) => this.commit(seen),
      finish: (follower, segment) => this.finishRotated(follower, segment),
      exclusive: (work) => this.exclusive(work),
      fail: (error) => this.fail(error),
    });
    this.tasksHost.pipeline = this.pipeline;
    this.tasksHost.prune = store.prune;
    this.tasksHost.statusKey = store.statusKey;
    this.tasksHost.statusExtra = store.statusExtra?.bind(store);
    this.tasksHost.startedAt = this.now();
    void this.done.catch(() => undefined);
  }

  async start(paths: readonly string[]): Promise<void> {
    const roots: string[] = [];
    for (const given of paths) {
      const absolute = path.resolve(given);
      const info = await stat(absolute).catch(() => undefined);
      if (!info) throw new InputError(`${given}: no such file or directory`);
      await access(absolute, constants.R_OK).catch(() => {
        throw new InputError(`${given}: not readable (permission denied)`);
      });
      if (info.isDirectory()) roots.push(absolute);
      else this.add(absolute, true);
    }
    this.directories = new LogDirectories(
      roots,
      (log) => this.found(log),
      (file) => this.followers.has(file),
    );
    await this.directories.scan();

    const requests: ReadRequest[] = [];
    const lastTs = new Map<Follower, number | null>();
    for (const follower of this.followers.values()) {
      const chain = await filesToCatchUp((stream) => this.store.lastReadOfStream(stream), follower.path);
      lastTs.set(follower, chain.lastTs);
      for (const file of chain.files) requests.push(this.request(follower, file));
    }
    const reads = await this.exclusive(() => this.read(requests));
    for (const follower of this.followers.values()) {
      const own = reads.filter((read) => read.path === follower.path).at(-1);
      follower.lastTs = lastTs.get(follower) ?? null;
      if (own) this.startTail(follower, own);
    }
    // Committed before follow says it caught up (PostgreSQL's writer commits behind the reader).
    await this.exclusive(async () => {
      this.pipeline.end();
      await this.pipeline.settle();
    });
    this.running = true;
    const context: TaskContext = {
      db: this.store.db,
      store: this.store,
      exclusive: (work) => this.exclusive(work),
      log: this.log,
      now: this.now,
    };
    const own = followTasks(this.tasksHost, this.options.intervals ?? {}, this.options.retentionDays ?? 0);
    const stores = this.store.tasks?.({ localDomains: this.options.localDomains }) ?? [];
    this.periodic = new PeriodicTasks([...own, ...stores, ...(this.options.tasks ?? [])], context);
    this.periodic.start();
  }

  handle(): FollowHandle {
    return {
      files: () => [...this.followers.keys()],
      totals: this.pipeline.totals,
      correlation: this.sink?.totals ?? { journeys: 0, trainings: 0, orphanVerdicts: 0 },
      settle: () => this.live.settle(),
      stop: () => this.stop(),
      done: this.done,
    };
  }

  /** Runs database work between write batches, one at a time. */
  exclusive<T>(work: () => T | Promise<T>): Promise<T> {
    const run = this.queue.then(work);
    this.queue = run.catch(() => undefined);
    return run;
  }

  stop(): Promise<void> {
    this.stopping ??= (async () => {
      this.live.stopping = true;
      this.directories?.close();
      await this.periodic?.stop();
      await Promise.all([...this.followers.values()].map((follower) => follower.stopTail()));
      await this.live.settle();
      await this.exclusive(async () => {
        this.pipeline.end();
        await this.pipeline.settle();
        await writeStatus(this.store, this.tasksHost, "stopped", this.now());
      });
      await this.store.close?.();
      this.finished.resolve();
    })().catch((error: unknown) => {
      this.finished.reject(error);
      throw error;
    });
    return this.stopping;
  }

  private fail(error: unknown): void {
    this.log(`writing failed, stopping: ${(error as Error).message}`);
    this.finished.reject(error);
    this.live.stopping = true;
    this.directories?.close();
    void this.periodic?.stop();
    for (const follower of this.followers.values()) void follower.stopTail();
  }

  private add(file: string, explicit: boolean, found?: FoundLog): Follower {
    const follower = new Follower(file, explicit, {
      lines: () => this.live.arrived(),
      restarted: (f, reason) => {
        this.log(`${f.path}: ${reason === "rotated" ? "rotated" : "truncated"}, following the new file`);
        this.live.arrived();
      },
      replaced: (f) => this.resync(f),
      failed: (f, error) => {
        f.failures += 1;
        const wait = Math.min(MAX_RETRY_MS, 1000 * 2 ** (f.failures - 1));
        this.log(`${f.path}: ${error.message}; trying again in ${Math.round(wait / 1000)} s`);
        f.retry = setTimeout(() => this.resync(f), wait);
      },
    });
    follower.kind = found?.kind;
    follower.dspamUser = found?.dspamUser;
    this.followers.set(file, follower);
    return follower;
  }

  /** A log file that appeared in a followed directory: read it from its start (or stored position), then follow it. */
  private found(log: FoundLog): void {
    const follower = this.add(log.path, false, log);
    if (!this.running) return;
    this.log(`${log.path}: new log file, following it`);
    void this.exclusive(async () => {
      const [read] = await this.read([this.request(follower, log.path)]);
      if (read) this.startTail(follower, read);
    }).catch((error: unknown) => this.fail(error));
  }

  private request(follower: Follower, file: string): ReadRequest {
    return { path: file, kind: follower.kind, dspamUser: follower.dspamUser, explicit: follower.explicit };
  }

  /** Reads files to their end through the pipeline and commits; notes each source as read. */
  private async read(requests: readonly ReadRequest[]): Promise<FileRead[]> {
    const reads = await readFiles(this.pipeline, requests, { year: this.options.year });
    const seen = new Map<number, number>();
    for (const read of reads) {
      if (read.problem) this.log(`${read.path}: ${read.problem}`);
      if (read.source && read.read > 0) seen.set(read.source.stored.id, read.size);
    }
    this.commit(seen);
    return reads;
  }

  private startTail(follower: Follower, read: FileRead): void {
    if (this.stopping) return;
    if (read.problem === "binary file, not a log") return;
    if (read.problem) {
      follower.failures += 1;
      follower.retry = setTimeout(
        () => this.resync(follower),
        Math.min(MAX_RETRY_MS, 1000 * follower.failures),
      );
      return;
    }
    follower.startTail(read);
  }

  /** Commits what the pipeline holds, with each source's size and read time. */
  private commit(seen: ReadonlyMap<number, number>): void {
    this.store.commit(() => this.pipeline.flush(), seen, this.now());
  }

  /** Reads the rest of a file tail-file left for a new one, from where it lives now (renamed or copied). */
  private async finishRotated(
    follower: Follower,
    segment: { inode: string | null; fingerprint: string | undefined; ended?: "rotated" | "truncated" },
  ): Promise<void> {
    const rotated = await findRotated(follower.path, segment);
    if (!rotated) return;
    const [read] = await this.read([this.request(follower, rotated.path)]);
    if (read && read.read > 0)
      this.log(`${follower.path}: ${read.read} line(s) left in ${rotated.path} read`);
    if (read?.lastTs != null) follower.lastTs = Math.max(follower.lastTs ?? 0, read.lastTs);
    if (segment.ended === "rotated" && read)
      follower.lateWrites.push({
        path: rotated.path,
        inode: rotated.inode,
        size: read.size,
        until: this.now() + (this.options.lateWriteMs ?? 5 * 60_000),
      });
  }

  /** Follows a path again from what the store holds: after an error, or when its file was replaced at start. */
  private resync(follower: Follower): void {
    if (this.stopping) return;
    void this.exclusive(async () => {
      if (this.stopping) return;
      await follower.stopTail();
      await this.live.drain();
      const segment = follower.segments.at(-1);
      const requests: ReadRequest[] = [];
      if (segment?.inode) {
        const rotated = await findRotated(follower.path, segment);
        if (rotated) requests.push(this.request(follower, rotated.path));
      }
      requests.push(this.request(follower, follower.path));
      const reads = await this.read(requests);
      const own = reads.at(-1);
      if (own) this.startTail(follower, own);
    }).catch((error: unknown) => this.fail(error));
  }

  private readonly tasksHost: TasksHost = {
    followers: () => [...this.followers.values()],
    pipeline: undefined as unknown as LinePipeline,
    rescan: () => this.directories?.scan() ?? Promise.resolve(),
    readLate: async (follower, late) => {
      const [read] = await this.read([this.request(follower, late.path)]);
      if (read && read.read > 0)
        this.log(`${late.path}: ${read.read} line(s) written after the rotation read`);
    },
    startedAt: 0,
  };
}
