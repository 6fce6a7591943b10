// DSPAM as a filter plug-in. What is DSPAM's own and lives here: how its log files are decoded
// (decode.ts), how a classification record becomes a verdict (verdict.ts), the fixes findings
// recommend for its settings (fixes.ts). Still outside this folder (see README "How to add a
// filter"): its syslog and record parsers (lib/parsers/dspam-*.ts, antispam.ts), the retraining
// correlation (lib/correlate/trainings.ts) and its configuration audit (lib/audit/model/dspam.ts).
import type { FilterPlugin } from "../plugin.ts";
import { decodeDspamFileLine } from "./decode.ts";
import { DSPAM_HAM_RESULTS, DSPAM_SPAM_RESULTS } from "./verdict.ts";

export const dspam: FilterPlugin = {
  name: "dspam",
  label: "DSPAM",
  userWord: "DSPAM user",
  // Postfix's content_filter hands the message over; DSPAM reinjects one queue per judged copy.
  reach: "after-queue",
  fileKinds: ["dspam-system", "dspam-user"],
  decodeFileLine: decodeDspamFileLine,
  unappliedCanBeMisdirected: true,
  spamResults: DSPAM_SPAM_RESULTS,
  hamResults: DSPAM_HAM_RESULTS,
};
