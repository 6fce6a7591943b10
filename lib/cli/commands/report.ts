import { notYet } from "./not-yet.ts";

export const reportCommand = notYet(
  "report",
  "Build (and send) the weekly antispam health report.",
  "spamtrail report [--week 2026-W47 | --since DATE --until DATE] [--out FILE.html] [--text] [--send] [--to ADDR]... [--force]",
);
