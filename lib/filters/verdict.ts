// A filter-neutral verdict (issue 17 proposal): what one content filter decided about one
// message, for which of its statistics users. DSPAM's verdicts do not use it yet.
import type { BayesUser } from "./rspamd/bayes-user.ts";
import type { RspamdScan } from "./rspamd/task-log.ts";

// NOTE: persisted once verdicts are stored by filter; renaming a value needs a migration.
export type FilterName = "dspam" | "rspamd";

/**
 * spam / ham: the filter's classification; deferred: the filter asked the MTA to try again later
 * (greylist, soft reject) without classifying; unknown: an action Spamtrail cannot place.
 */
// NOTE: persisted (see FilterName).
export type VerdictResult = "spam" | "ham" | "deferred" | "unknown";

export type Verdict = {
  filter: FilterName;
  /** The filter's statistics user (DSPAM user, Rspamd Bayes user); null for a global Bayes. */
  user: string | null;
  /** observed: a log line named the user; inferred: derived from the filter's rules. */
  userSource: "observed" | "inferred";
  result: VerdictResult;
  /** The filter's own action words (Rspamd: "add header", "reject"…). */
  action?: string;
  score?: number;
  /** The score of the filter's highest action (Rspamd: usually reject), to read the score against. */
  requiredScore?: number;
  /** What retraining refers to (DSPAM's signature); Rspamd learns from the message itself. */
  signature?: string;
  /** When the filter decided, in epoch milliseconds. */
  ts: number;
};

// Rspamd's actions (rspamd.com/doc/configuration/metrics.html): every action but "no action" and
// the temporary ones tells the MTA or the delivery to treat the message as spam.
const RSPAMD_RESULTS: Record<string, VerdictResult> = {
  "no action": "ham",
  "add header": "spam",
  "rewrite subject": "spam",
  reject: "spam",
  quarantine: "spam",
  discard: "spam",
  greylist: "deferred",
  "soft reject": "deferred",
};

/** The result of an Rspamd action; custom actions follow the scan's T/F spam flag. */
export function resultOfRspamdAction(action: string, spamFlag: RspamdScan["spamFlag"]): VerdictResult {
  const known = RSPAMD_RESULTS[action.toLowerCase().replace(/_/g, " ")];
  if (known) return known;
  if (spamFlag === "T") return "spam";
  if (spamFlag === "F") return "ham";
  return "unknown";
}

/** The neutral verdict of one Rspamd scan scored with the given Bayes user at time ts. */
export function verdictOfRspamdScan(scan: RspamdScan, bayes: BayesUser, ts: number): Verdict {
  return {
    filter: "rspamd",
    user: bayes.user,
    userSource: bayes.how,
    result: resultOfRspamdAction(scan.action, scan.spamFlag),
    action: scan.action,
    ...(scan.score === null ? {} : { score: scan.score }),
    ...(scan.requiredScore === null ? {} : { requiredScore: scan.requiredScore }),
    ts,
  };
}
