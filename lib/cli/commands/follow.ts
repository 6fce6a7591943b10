import { notYet } from "./not-yet.ts";

export const followCommand = notYet(
  "follow",
  "Follow the logs as they grow (through rotation and restarts) and keep everything up to date.",
  "spamtrail follow [--db PATH] PATH...",
);
