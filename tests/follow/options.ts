import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { FollowOptions } from "../../lib/ingest/follow/follow.ts";
import { LAB_YEAR } from "../helpers/fixtures.ts";
import { tempDir } from "../helpers/temp-dir.ts";

/** Follow as the service runs it, with timers shortened so tests wait milliseconds, not seconds. */
export const TEST_OPTIONS: FollowOptions = {
  year: LAB_YEAR,
  flushMs: 20,
  lateWriteMs: 3_000,
  retentionDays: 0,
  intervals: { provisional: 600_000, health: 200, lateWrites: 50, rescan: 500, status: 600_000 },
};

/** A server's log layout with empty files (DSPAM's data dir without users yet); the paths to follow. */
export function logTree(): { root: string; mailLog: string; follow: string[] } {
  const root = tempDir("spamtrail-logs-");
  mkdirSync(path.join(root, "var/log"), { recursive: true });
  mkdirSync(path.join(root, "var/spool/dspam/data"), { recursive: true });
  for (const file of ["var/log/mail.log", "var/log/syslog", "var/spool/dspam/system.log"])
    writeFileSync(path.join(root, file), "");
  return {
    root,
    mailLog: path.join(root, "var/log/mail.log"),
    follow: [
      path.join(root, "var/log/mail.log"),
      path.join(root, "var/log/syslog"),
      path.join(root, "var/spool/dspam"),
    ],
  };
}
