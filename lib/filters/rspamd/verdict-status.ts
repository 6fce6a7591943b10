// How an Rspamd verdict's Bayes user was known, stored in Verdict.status (DSPAM keeps its own
// status words there): named by the task's stat_redis debug line, or inferred the way Rspamd decides.
// NOTE: persisted (Verdict.status).
export const BAYES_USER_OBSERVED = "Bayes user observed";
export const BAYES_USER_INFERRED = "Bayes user inferred";

/** True for a verdict whose statistics user no log line named (Rspamd without stat_redis debug lines). */
export const isUserInferred = (verdict: { status: string }) => verdict.status === BAYES_USER_INFERRED;
