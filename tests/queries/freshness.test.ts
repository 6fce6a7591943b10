import assert from "node:assert/strict";
import { test } from "node:test";
import type { FollowStatus } from "../../lib/queries/follow-status.ts";
import { describeAge, freshnessWarning } from "../../lib/queries/freshness.ts";

const now = new Date("2026-12-06T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const MIN = 60_000;
const follow = (state: "running" | "stopped" | "silent", heartbeatAgo = 10_000): FollowStatus => ({
  state,
  pid: 1,
  startedAt: ago(3_600_000),
  heartbeatAt: ago(heartbeatAgo),
  files: 2,
  linesRead: 10,
  linesNew: 10,
});

test("is the data current? the warning each state gets", () => {
  const cases: [Date | null, FollowStatus, string | null][] = [
    [null, { state: "never" }, null],
    [ago(2 * MIN), follow("running"), null],
    [ago(14 * 24 * 60 * MIN), { state: "never" }, "No log lines for 14 days: follow is not running"],
    [ago(3 * 60 * MIN), follow("stopped"), "No log lines for 3 hours: follow is not running"],
    [
      ago(90 * MIN),
      follow("running"),
      "No log lines for 90 minutes: follow is running but reads nothing new: is the mail server logging to the files it follows?",
    ],
    [
      ago(2 * MIN),
      follow("silent", 5 * MIN),
      "The data may stop here: follow is not responding (its last heartbeat was 5 minutes ago)",
    ],
  ];
  for (const [newest, state, warning] of cases) assert.equal(freshnessWarning(newest, state, now), warning);
  assert.deepEqual(
    [describeAge(30_000), describeAge(119 * MIN), describeAge(49 * 60 * MIN)],
    ["1 minute", "119 minutes", "2 days"],
  );
});
