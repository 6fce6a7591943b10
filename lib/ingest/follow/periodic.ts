import type { Db } from "../../db/connection.ts";
import type { FollowStore } from "./follow-store.ts";

/** What a periodic task gets: the database, and a way to use it between follow's write batches. */
export type TaskContext = {
  /** SQLite's connection; none on PostgreSQL (tasks that need it are not run there). */
  db: Db | undefined;
  store: FollowStore;
  /** Runs `work` while no batch is being written (database work goes here; mail sending does not). */
  exclusive<T>(work: () => T | Promise<T>): Promise<T>;
  log(message: string): void;
  now(): number;
};

/**
 * A job `spamtrail follow` runs on a schedule: pruning, the Sources page's health line, showing mail
 * still in flight — and the weekly report, which adds its own task (see lib/cli/commands/follow.ts).
 */
export type PeriodicTask = {
  name: string;
  everyMs: number;
  /** Delay before the first run; default everyMs. */
  firstAfterMs?: number;
  run(context: TaskContext): Promise<void> | void;
};

/** Runs periodic tasks, each after the previous run of it finished; an error is logged, not fatal. */
export class PeriodicTasks {
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private readonly running = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    private readonly tasks: readonly PeriodicTask[],
    private readonly context: TaskContext,
  ) {}

  start(): void {
    for (const task of this.tasks) this.schedule(task, task.firstAfterMs ?? task.everyMs);
  }

  /** Stops scheduling and waits for the runs under way. */
  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    await Promise.all(this.running);
  }

  private schedule(task: PeriodicTask, delay: number): void {
    if (this.stopped) return;
    this.timers.set(
      task.name,
      setTimeout(() => {
        const run = Promise.resolve()
          .then(() => task.run(this.context))
          .catch((error: unknown) => this.context.log(`${task.name} failed: ${(error as Error).message}`))
          .finally(() => {
            this.running.delete(run);
            this.schedule(task, task.everyMs);
          });
        this.running.add(run);
      }, delay),
    );
  }
}
