import { notYet } from "./not-yet.ts";

export const adminCommand = notYet(
  "admin",
  "Manage the dashboard's administrator account (admin set-password).",
  "spamtrail admin set-password [--db PATH] [--user NAME]",
);
