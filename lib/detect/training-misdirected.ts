import type { TrainingRecord } from "../core/journey.ts";
import { EXPAND_BEFORE_DSPAM, RETRAIN_FULL_ADDRESS } from "../filters/dspam/fixes.ts";
import { UNAPPLIED_MISDIRECTED_FILTERS } from "../filters/results.ts";
import {
  explainRspamdMisdirected,
  isRspamdFinding,
  isRspamdTraining,
  RSPAMD_SUBJECT,
} from "../filters/rspamd/findings.ts";
import type { Explanation, FindingDefinition, FindingFacts, RelatedFinding } from "./definition.ts";
import type { Evidence } from "./types.ts";
import { lower } from "./types.ts";
import { list, plural, sentence, values } from "./words.ts";

/** True when a retrain was aimed at a DSPAM user other than the one whose verdict it corrects. */
export function isMisdirected(training: TrainingRecord): boolean {
  // A learn Rspamd refused went nowhere: it failed (training-failed), whichever Bayes it named.
  if (training.outcome !== "applied" && !UNAPPLIED_MISDIRECTED_FILTERS.includes(training.filter))
    return false;
  return (
    training.filterUser !== null &&
    training.classifiedUser !== null &&
    lower(training.filterUser) !== lower(training.classifiedUser)
  );
}

/**
 * A retrain aimed at a DSPAM user other than the one that classified the message: the IMAP login
 * `bob` retrains DSPAM user `bob` while `bob@example.com` judged the mail, or a person retrains mail
 * classified under an alias. DSPAM answers "Unable to find a valid signature" (or learns for the
 * wrong dictionary) while IMAP says OK.
 */
export function detectTrainingMisdirected(training: TrainingRecord): Evidence[] {
  if (!isMisdirected(training)) return [];
  const target = lower(training.filterUser ?? "");
  const classifier = lower(training.classifiedUser ?? "");
  const rspamd = isRspamdTraining(training);
  // Rspamd's learn scripts may complete a bare login: only the Bayes user they trained tells.
  const bareLogin = rspamd
    ? !target.includes("@") && classifier.includes("@")
    : training.login !== null && !training.login.includes("@") && classifier.includes("@");
  return [
    {
      kind: "training-misdirected",
      subject: { cause: bareLogin ? "bare-login" : "other-user", ...(rspamd ? RSPAMD_SUBJECT : {}) },
      severity: trainingMisdirected.severity,
      ref: training.key,
      ts: training.ts,
      messageId: training.messageId,
      journeyKey: null,
      users: [target, classifier],
      recipients: [],
      detail: {
        login: training.login,
        target,
        classifiedBy: classifier,
        direction: training.direction,
        outcome: training.outcome,
        signature: training.signature,
        dspamSaid: training.reason,
      },
      lineIds: training.lines,
    },
  ];
}

function explainMisdirected(facts: FindingFacts): Explanation {
  if (isRspamdFinding(facts)) return explainRspamdMisdirected(facts);
  const logins = values(facts, "login");
  const targets = values(facts, "target");
  const classifiers = values(facts, "classifiedBy");
  const dspamSaid = values(facts, "dspamSaid").some((t) => t.includes("valid signature"))
    ? ' (it logged "Unable to find a valid signature")'
    : "";
  if (facts.subject.cause === "bare-login")
    return {
      summary: `${sentence(plural(facts.count, "retraining"))} by IMAP ${logins.length === 1 ? "login" : "logins"} without a domain (${list(logins)}) went to DSPAM ${targets.length === 1 ? "user" : "users"} ${list(targets)}, but ${list(classifiers)} classified the mail: DSPAM learnt nothing${dspamSaid}, while the mail client showed each move as done.`,
      cause:
        "dovecot-antispam builds the dspam command from `antispam_dspam_args`, where `%u` is the IMAP login as the user typed it. Users who log in without the domain retrain a DSPAM user named like the bare login (data/<login>/), which holds no signature of the mail: DSPAM classified it under the full address it was delivered to.",
      fix: `${sentence(RETRAIN_FULL_ADDRESS)}. Then ask the users to move the affected messages again.`,
    };
  return {
    summary: `${sentence(plural(facts.count, "retraining"))} went to DSPAM ${targets.length === 1 ? "user" : "users"} ${list(targets)}, but ${list(classifiers)} classified the mail: DSPAM learnt nothing for the dictionary that judged it.`,
    cause:
      "The mail was classified under another DSPAM user — an alias, or another address of the person — than the one the retrain names.",
    fix: `Classify under the person, not the alias: expand aliases before DSPAM — ${EXPAND_BEFORE_DSPAM}.`,
  };
}

export const trainingMisdirected: FindingDefinition = {
  kind: "training-misdirected",
  title: "Retraining sent to the wrong DSPAM user",
  severity: "high",
  unit: "retraining",
  detect: { training: detectTrainingMisdirected },
  cause: (s) =>
    s.cause === "bare-login"
      ? "IMAP logins without their domain (%u)"
      : "mail classified under another DSPAM user",
  explain: explainMisdirected,
  related: (subject): RelatedFinding[] =>
    subject.cause === "bare-login"
      ? [{ kind: "dspam-user-sprawl", subject: { isA: "bare-login" } }]
      : [{ kind: "classified-under-alias", subject: { userIs: "alias" } }],
  reason: (t) => `${plural(t.evidence, "retraining")} went to the wrong ${t.userWord} and changed nothing`,
};
