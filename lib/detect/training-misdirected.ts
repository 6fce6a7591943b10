import type { TrainingRecord } from "../core/journey.ts";
import type { Evidence } from "./types.ts";
import { lower } from "./types.ts";

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
