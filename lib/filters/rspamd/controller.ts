// The controller's learn lines (`rspamc learn_spam|learn_ham`, the web UI): what was learned,
// and why a learn was refused.

export type LearnClass = "spam" | "ham";

export type ControllerEvent =
  | { kind: "rspamd.learned"; clientIp: string; learnClass: LearnClass; messageId: string }
  /** A classifier's learn condition refused the learn (e.g. "already in class spam"). */
  | {
      kind: "rspamd.learn-skipped";
      classifier: string;
      reason: string;
      alreadyIn: LearnClass | null;
      probability: number | null;
    }
  /** No classifier accepted the learn: rspamc prints this as its error and still exits 0. */
  | { kind: "rspamd.learn-denied"; learnClass: LearnClass; classifier: string };

// rspamd_controller_learn_fin_task: <127.0.0.1> learned message as spam: 17965532.p2774@greatdeals.test
const LEARNED = /^<([^<>]*)> learned message as (spam|ham): <?([^<>]*?)>?$/;
// rspamd_stat_classifier_is_skipped: learn condition for classifier bayes returned: already in class
// spam; probability 98.71%; skip classifier
const SKIPPED = /^learn condition for classifier (\S+) returned: (.*?);? skip classifier$/;
const ALREADY_IN = /already in class (spam|ham)/;
const PROBABILITY = /probability (\d+(?:\.\d+)?)%/;
// rspamd_task_process: skip learning: all learn conditions denied learning ham in default classifier
const DENIED = /all learn conditions denied learning (spam|ham) in (\S+) classifier$/;

/** Parses a controller learn message; null when it is not one of the learn lines above. */
export function parseControllerLearn(message: string): ControllerEvent | null {
  const learned = LEARNED.exec(message);
  if (learned)
    return {
      kind: "rspamd.learned",
      clientIp: learned[1] as string,
      learnClass: learned[2] as LearnClass,
      messageId: learned[3] as string,
    };
  const skipped = SKIPPED.exec(message);
  if (skipped) {
    const reason = skipped[2] as string;
    const probability = PROBABILITY.exec(reason);
    return {
      kind: "rspamd.learn-skipped",
      classifier: skipped[1] as string,
      reason,
      alreadyIn: (ALREADY_IN.exec(reason)?.[1] as LearnClass | undefined) ?? null,
      probability: probability ? Number(probability[1]) : null,
    };
  }
  const denied = DENIED.exec(message);
  if (denied)
    return {
      kind: "rspamd.learn-denied",
      learnClass: denied[1] as LearnClass,
      classifier: denied[2] as string,
    };
  return null;
}
