import type { FollowHandle } from "../ingest/follow/follow.ts";

/** How `spamtrail follow` (lib/cli/commands/follow.ts, on either database) is stopped by SIGTERM or Ctrl-C. */
export type FollowStop = {
  /** Aborted by the first signal: follow then stops waiting for the writer lock or the other follower. */
  signal: AbortSignal;
  /** The follower has started: a signal that came while it started stops it now, a later one at once. */
  started(handle: FollowHandle): FollowHandle;
  /** Removes the listeners, once follow has ended. */
  release(): void;
};

/**
 * Listens for SIGTERM and SIGINT until released. A second signal ends the process the default way
 * (the listeners are gone after the first).
 */
export function stopOnSignals(): FollowStop {
  const stopAsked = new AbortController();
  let handle: FollowHandle | undefined;
  const stop = () => {
    stopAsked.abort();
    void handle?.stop();
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
  return {
    signal: stopAsked.signal,
    started(follower) {
      handle = follower;
      if (stopAsked.signal.aborted) void follower.stop();
      return follower;
    },
    release() {
      process.off("SIGTERM", stop);
      process.off("SIGINT", stop);
    },
  };
}
