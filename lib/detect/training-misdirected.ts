import type { TrainingRecord } from "../core/journey.ts";
import type { FindingDefinition } from "./definition.ts";
import type { Evidence } from "./types.ts";
import { lower } from "./types.ts";
import { anyTrue, list, plural, values } from "./words.ts";

/** True when a retrain was aimed at a DSPAM user other than the one whose verdict it corrects. */
export function isMisdirected(training: TrainingRecord): boolean {
  return (
    training.dspamUser !== null &&
    training.classifiedUser !== null &&
    lower(training.dspamUser) !== lower(training.classifiedUser)
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
  const target = lower(training.dspamUser ?? "");
  const classifier = lower(training.classifiedUser ?? "");
  return [
    {
      kind: "training-misdirected",
      subject: { target, classifiedBy: classifier },
      severity: "high",
      ref: training.key,
      ts: training.ts,
      messageId: training.messageId,
      journeyKey: null,
      users: [target, classifier],
      recipients: [],
      detail: {
        login: training.login,
        direction: training.direction,
        outcome: training.outcome,
        signature: training.signature,
        dspamSaid: training.reason,
        loginHasNoDomain:
          training.login !== null && !training.login.includes("@") && classifier.includes("@"),
      },
      lineIds: training.lines,
    },
  ];
}

export const trainingMisdirected: FindingDefinition = {
  kind: "training-misdirected",
  title: "Retraining sent to the wrong DSPAM user",
  severity: "high",
  unit: "retraining",
  detect: { training: detectTrainingMisdirected },
  explain: (facts) => {
    const s = facts.subject;
    const logins = values(facts, "login");
    const bare = anyTrue(facts, "loginHasNoDomain");
    return {
      summary: `${plural(facts.count, "retraining")} by ${logins.length ? `IMAP login ${list(logins)}` : "users"} went to DSPAM user ${s.target}, but ${s.classifiedBy} classified the mail: DSPAM learnt nothing${values(facts, "dspamSaid").some((t) => t.includes("valid signature")) ? ' (it logged "Unable to find a valid signature")' : ""}, while the mail client showed the move as done.`,
      cause: bare
        ? "dovecot-antispam passes the IMAP login to dspam (`%u` in antispam_dspam_args). Users who log in without the domain retrain a DSPAM user named like the bare login (data/<login>/), which has no signature of the mail: DSPAM classified it under the full address."
        : "The mail was classified under another DSPAM user (an alias or another address) than the one the person retrains.",
      fix: bare
        ? "Do not pass the raw login to dspam: in Dovecot's antispam settings use the address DSPAM classifies under, e.g. `antispam_dspam_args = --deliver=;--client;--user;%n@example.com` on a one-domain server, or make logins full addresses (auth_username_format = %Lu plus a default domain). Then ask the users to move the affected messages again."
        : "Classify under the person, not the alias: expand aliases before DSPAM (no_address_mappings only on the reinjection service).",
    };
  },
  reason: (t) => `${plural(t.evidence, "retraining")} went to the wrong DSPAM user and changed nothing`,
};
