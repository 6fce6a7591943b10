// What `spamtrail follow` needs of its database besides the line pipeline: SQLite's
// (lib/store/sqlite-follow-store.ts) or PostgreSQL's (lib/store/postgres/follow-store.ts).

import type { StoredFollowStatus } from "../../core/follow-status.ts";
import type { Db } from "../../db/connection.ts";
import type { CorrelationSink, CorrelationSinkOptions } from "../correlate-sink.ts";
import type { PipelineStore } from "../pipeline-store.ts";
import type { PeriodicTask } from "./periodic.ts";

export type LastRead = { fingerprint: string; readAt: number; lastTs: number | null };

export interface FollowStore {
  /** Shown to the user. */
  readonly name: string;
  readonly pipeline: PipelineStore;
  /** SQLite's connection, for the periodic tasks that write through it (the configuration audit); none on PostgreSQL. */
  readonly db: Db | undefined;
  /**
   * Takes the right to follow: SQLite's one writer, PostgreSQL's one follower per mail server.
   * Waits (saying so through onWait) until it is free, or the signal aborts.
   */
  lock(options: { onWait?: (message: string) => void; signal?: AbortSignal }): Promise<() => Promise<void>>;
  /** Correlates the lines as they are stored (SQLite), or leaves them to the correlating leader (PostgreSQL: undefined). */
  sink(options: CorrelationSinkOptions): CorrelationSink | undefined;
  /** The source of a stream read most recently, and the stream's newest line time. */
  lastReadOfStream(stream: string): Promise<LastRead | undefined>;
  /** Hands the pipeline's lines over (`flush`) and notes the sources' sizes and read time, together. */
  commit(flush: () => void, sizes: ReadonlyMap<number, number>, readAt: number | null): void;
  /** follow's heartbeat and other notes for the dashboard (the Setting table). */
  writeSetting(key: string, value: unknown, now: number): Promise<void>;
  /**
   * Deletes data older than the cutoff, a transaction at a time (SQLite: each through `runStep`,
   * between follow's batches); what it deleted, or undefined when another process prunes
   * (PostgreSQL: the correlating leader does).
   */
  prune?: (
    cutoff: number,
    options: { now: () => number; runStep: (step: () => boolean) => Promise<boolean> },
  ) => Promise<Record<string, number> | undefined>;
  /** Where the heartbeat is kept (PostgreSQL: one per mail server), and what it adds. */
  readonly statusKey?: string;
  statusExtra?(): Partial<StoredFollowStatus>;
  /** The store's own periodic tasks (PostgreSQL: the correlating leader's turn). */
  tasks?(options: { localDomains?: readonly string[] }): PeriodicTask[];
  /** After the last batch is committed: the store's last work (the leader's last turn). */
  close?(): Promise<void>;
}
