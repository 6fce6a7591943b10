// Which Bayes user scored a scan. With `users_enabled = true` Rspamd keys the Bayes by the task's
// principal recipient: the Deliver-To header when present (what `rspamc -d` sends), else the first
// SMTP RCPT as the MTA gave it (before alias expansion), lower-cased (prisma/demo/lab-rspamd/README.md).
// The stat_redis debug line names the key actually used and wins over the inference.

export type BayesUser = {
  /** The Bayes user; null for the global Bayes or when nothing names one. */
  user: string | null;
  /** observed: named by a stat_redis line of the task; inferred: derived the way Rspamd decides. */
  how: "observed" | "inferred";
};

export type BayesUserInput = {
  /** The user of the task's stat_redis line (`tokens learned for RS<user>`), when debug logging was on. */
  observed?: string | null;
  /** The Deliver-To header of the message, when known (it is not in Rspamd's task line). */
  deliverTo?: string | null;
  /** SMTP RCPTs as Rspamd saw them (the task line's `rcpts:`), in order. */
  smtpRcpts: readonly string[];
  /** The classifier's `users_enabled`; off, every scan uses the one global Bayes. */
  usersEnabled: boolean;
};

/** The Bayes user of one scan and whether a log line named it or it was inferred. */
export function bayesUserOf(input: BayesUserInput): BayesUser {
  if (input.observed) return { user: input.observed.toLowerCase(), how: "observed" };
  if (!input.usersEnabled) return { user: null, how: "inferred" };
  const principal = input.deliverTo?.trim() || input.smtpRcpts[0];
  return { user: principal ? principal.toLowerCase() : null, how: "inferred" };
}
