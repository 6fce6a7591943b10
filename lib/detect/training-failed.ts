import type { TrainingRecord } from "../core/journey.ts";
import type { FindingDefinition } from "./definition.ts";
import { isMisdirected } from "./training-misdirected.ts";
import type { Evidence } from "./types.ts";
import { lower } from "./types.ts";
import { plural, values } from "./words.ts";

/** A retrain DSPAM did not apply, for another reason than being aimed at the wrong user. */
export function detectTrainingFailed(training: TrainingRecord): Evidence[] {
  if (training.outcome !== "failed" || isMisdirected(training)) return [];
  const target = lower(training.dspamUser ?? training.login ?? "unknown");
  return [
    {
      kind: "training-failed",
      subject: { user: target },
      severity: "medium",
      ref: training.key,
      ts: training.ts,
      messageId: training.messageId,
      journeyKey: null,
      users: [target],
      recipients: [],
      detail: {
        login: training.login,
        direction: training.direction,
        signature: training.signature,
        dspamSaid: training.reason,
      },
      lineIds: training.lines,
    },
  ];
}

export const trainingFailed: FindingDefinition = {
  kind: "training-failed",
  title: "Retraining failed",
  severity: "medium",
  unit: "retraining",
  detect: { training: detectTrainingFailed },
  explain: (facts) => {
    const said = values(facts, "dspamSaid")[0];
    return {
      summary: `${plural(facts.count, "retraining")} for DSPAM user ${facts.subject.user} failed${said ? `: ${said}` : ""}.`,
      cause:
        "DSPAM could not apply the retrain: the signature was missing or expired, or dspam itself failed.",
      fix: "Check that retrained messages still carry their X-DSPAM-Signature header, that signatures are kept long enough (PurgeSignatures in dspam.conf), and that the dspam binary can be run by the mail user (dovecot-antispam reports `Failed to call dspam` to the client only).",
    };
  },
  reason: (t) => `${plural(t.evidence, "retraining")} failed`,
};
