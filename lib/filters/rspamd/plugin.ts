// Rspamd as a filter plug-in: what the rest of Spamtrail asks of it (lib/filters/plugin.ts).
import type { FilterPlugin } from "../plugin.ts";
import { decodeRspamdFileLine } from "./decode.ts";

export const rspamd: FilterPlugin = {
  name: "rspamd",
  label: "Rspamd",
  userWord: "Bayes user",
  // A milter: it scans the SMTP transaction, its verdict belongs to the queue it scanned.
  reach: "milter",
  // Its own log file (logging type file); through syslog its lines are routed by the tag rspamd.
  fileKinds: ["rspamd"],
  decodeFileLine: decodeRspamdFileLine,
  // lib/filters/verdict.ts resultOfRspamdAction's words.
  unappliedCanBeMisdirected: false,
  spamResults: ["spam"],
  hamResults: ["ham"],
};
