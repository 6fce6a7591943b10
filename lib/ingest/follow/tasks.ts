import { stat } from "node:fs/promises";
import {
  FOLLOW_STATUS_EVERY_MS,
  FOLLOW_STATUS_KEY,
  RETENTION_KEY,
  type StoredFollowStatus,
  type StoredRetention,
} from "../../core/follow-status.ts";
import { retentionCutoff } from "../../store/retention.ts";
import type { LinePipeline } from "../line-pipeline.ts";
import type { FollowStore } from "./follow-store.ts";
import type { Follower, LateWrites } from "./follower.ts";
import type { PeriodicTask } from "./periodic.ts";

/** What follow's own periodic tasks need from the engine. */
export type TasksHost = {
  followers(): Follower[];
  pipeline: LinePipeline;
  rescan(): Promise<void>;
  /** Reads what was added to a rotated file since it was finished (late writes). */
  readLate(follower: Follower, late: LateWrites): Promise<unknown>;
  startedAt: number;
  /** Where the heartbeat is kept (PostgreSQL: one per mail server) and what it adds. */
  statusKey?: string;
  statusExtra?: () => Partial<StoredFollowStatus>;
  /** Deletes data older than a cutoff; absent where follow does not prune. */
  prune?: FollowStore["prune"];
};

export type TaskIntervals = Partial<
  Record<"provisional" | "health" | "lateWrites" | "rescan" | "status" | "retention", number>
>;

/** Follow's own periodic tasks; others (the weekly report) are passed in FollowOptions.tasks. */
export function followTasks(
  host: TasksHost,
  intervals: TaskIntervals,
  retentionDays: number,
): PeriodicTask[] {
  let provisionalAt = -1;
  const tasks: PeriodicTask[] = [
    {
      // Mail still in flight is written as it stands, so the dashboard shows it before it is final.
      name: "provisional",
      everyMs: intervals.provisional ?? 15_000,
      run: ({ exclusive }) =>
        exclusive(() => {
          if (host.pipeline.totals.fresh === provisionalAt) return;
          provisionalAt = host.pipeline.totals.fresh;
          host.pipeline.end();
        }),
    },
    {
      // Reads what a missed file system event left unread; notes file sizes for the Sources page.
      name: "health",
      everyMs: intervals.health ?? 10_000,
      run: async ({ store, exclusive }) => {
        const sizes = new Map<number, number>();
        for (const follower of host.followers()) {
          follower.tail?.poke();
          const segment = follower.segments.at(-1);
          const info = await stat(follower.path).catch(() => undefined);
          if (segment?.source && info && `${info.dev}:${info.ino}` === segment.inode)
            sizes.set(segment.source.stored.id, info.size);
        }
        await exclusive(() => store.commit(() => {}, sizes, null));
      },
    },
    {
      name: "late-writes",
      everyMs: intervals.lateWrites ?? 1_000,
      run: ({ exclusive, now }) => checkLateWrites(host, exclusive, now()),
    },
    { name: "rescan", everyMs: intervals.rescan ?? 30_000, run: () => host.rescan() },
    {
      name: "status",
      everyMs: intervals.status ?? FOLLOW_STATUS_EVERY_MS,
      firstAfterMs: 0,
      run: ({ store, exclusive, now }) => exclusive(() => writeStatus(store, host, "running", now())),
    },
  ];
  if (retentionDays > 0 && host.prune) {
    const prune = host.prune;
    tasks.push({
      name: "retention",
      everyMs: intervals.retention ?? 3_600_000,
      firstAfterMs: Math.min(60_000, intervals.retention ?? 60_000),
      run: async ({ store, exclusive, log, now }) => {
        const deleted = await prune(retentionCutoff(retentionDays, now()), {
          now,
          runStep: (step) => exclusive(step),
        });
        if (!deleted) return;
        const total = Object.values(deleted).reduce((sum, n) => sum + n, 0);
        if (total > 0) log(`retention (${retentionDays} days): deleted ${JSON.stringify(deleted)}`);
        await exclusive(() =>
          store.writeSetting(
            RETENTION_KEY,
            { days: retentionDays, lastRunAt: now(), deleted } satisfies StoredRetention,
            now(),
          ),
        );
      },
    });
  }
  return tasks;
}

/** Reads what writers added to rotated files since they were finished, while they are watched. */
async function checkLateWrites(
  host: TasksHost,
  exclusive: <T>(work: () => T | Promise<T>) => Promise<T>,
  now: number,
): Promise<void> {
  for (const follower of host.followers()) {
    if (follower.lateWrites.length === 0) continue;
    const watched: LateWrites[] = [];
    for (const late of follower.lateWrites) {
      const info = await stat(late.path).catch(() => undefined);
      if (!info || `${info.dev}:${info.ino}` !== late.inode) continue;
      if (info.size !== late.size) {
        late.size = info.size;
        await exclusive(() => host.readLate(follower, late));
      }
      if (now < late.until) watched.push(late);
    }
    follower.lateWrites = watched;
  }
}

/** Follow's heartbeat for the dashboard: running or stopped, since when, how many files. */
export function writeStatus(
  store: FollowStore,
  host: TasksHost,
  state: "running" | "stopped",
  now: number,
): Promise<void> {
  const totals = host.pipeline.totals;
  return store.writeSetting(
    host.statusKey ?? FOLLOW_STATUS_KEY,
    {
      state,
      pid: process.pid,
      startedAt: host.startedAt,
      heartbeatAt: now,
      files: host.followers().length,
      lines: { read: totals.read, fresh: totals.fresh },
      ...host.statusExtra?.(),
    } satisfies StoredFollowStatus,
    now,
  );
}
