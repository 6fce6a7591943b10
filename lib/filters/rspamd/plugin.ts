// Rspamd as a filter plug-in: what the rest of Spamtrail asks of it (lib/filters/plugin.ts).
import type { FilterPlugin } from "../plugin.ts";

export const rspamd: FilterPlugin = {
  name: "rspamd",
  label: "Rspamd",
  userWord: "Bayes user",
  // A milter: it scans the SMTP transaction, its verdict belongs to the queue it scanned.
  reach: "milter",
  // Its log file's kind arrives with its ingestion (issue 17); until then none is read.
  fileKinds: [],
  // lib/filters/verdict.ts resultOfRspamdAction's words.
  spamResults: ["spam"],
  hamResults: ["ham"],
};
