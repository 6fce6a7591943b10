// Batches handed over before the reader waits: one being written, one ready behind it.
export const IN_FLIGHT = 2;

/**
 * Counts the batches a writer has handed over and not yet written, so that the reader waits while
 * `limit()` are in flight (ready) or until none is (settle). The first failure ends it: every wait,
 * and every later hand-over, throws it (lib/store/batch-writers.ts WorkerWriter and
 * lib/store/postgres/batch-writer.ts share it).
 */
export class InFlightGate {
  private count = 0;
  private firstFailure: Error | undefined;
  private waiters: (() => void)[] = [];

  /** `limit` is asked at every check: the write thread takes more batches while it loads. */
  constructor(private readonly limit: () => number) {}

  /** The first failure, once there is one. */
  get failure(): Error | undefined {
    return this.firstFailure;
  }

  /** Batches handed over and not yet written. */
  get inFlight(): number {
    return this.count;
  }

  /** One more batch handed over; throws the failure instead, once there is one. */
  enter(): void {
    if (this.firstFailure) throw this.firstFailure;
    this.count += 1;
  }

  /**
   * One batch written: `committed` (the writer's report of it, when it is committed too) runs, then
   * the waiters wake. When it throws, the writer handles the error (PostgreSQL's fails the gate,
   * which wakes them).
   */
  leave(committed?: () => void): void {
    this.count -= 1;
    committed?.();
    this.wake();
  }

  /** Keeps the first failure; nothing is in flight any more, and every waiter is told. */
  fail(error: Error): void {
    this.firstFailure ??= error;
    this.count = 0;
    this.wake();
  }

  /** Resolves once fewer than `limit()` batches are in flight. */
  ready(): Promise<void> {
    return this.until(() => this.count < this.limit());
  }

  /** Resolves once every batch handed over is written. */
  settle(): Promise<void> {
    return this.until(() => this.count === 0);
  }

  /** Resolves once every batch handed over is written, or at the failure (which closing deals with). */
  drained(): Promise<void> {
    return this.settle().catch(() => undefined);
  }

  /** Resolves once `condition` holds, checked whenever a batch leaves or changed() is called; rejects at the failure. */
  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (this.firstFailure) reject(this.firstFailure);
        else if (condition()) resolve();
        else this.waiters.push(check);
      };
      check();
    });
  }

  /** Something a waiter's condition reads changed (the SQLite write thread's commits). */
  changed(): void {
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const waiter of waiters) waiter();
  }
}
