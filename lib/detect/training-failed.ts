import type { TrainingRecord } from "../core/journey.ts";
import {
  explainRspamdFailed,
  isRspamdFinding,
  isRspamdTraining,
  RSPAMD_SUBJECT,
} from "../filters/rspamd/findings.ts";
import type { FindingDefinition } from "./definition.ts";
import { isMisdirected } from "./training-misdirected.ts";
import type { Evidence } from "./types.ts";
import { lower } from "./types.ts";
import { list, plural, sentence, values } from "./words.ts";

/** Why DSPAM did not apply a retrain, as a cause. NOTE: persisted (the finding's subject). */
function causeOf(reason: string | null): "signature-missing" | "dspam-failed" {
  return reason && /signature|Unable to open file for reading/i.test(reason)
    ? "signature-missing"
    : "dspam-failed";
}

/** A retrain DSPAM did not apply, for another reason than being aimed at the wrong user. */
export function detectTrainingFailed(training: TrainingRecord): Evidence[] {
  if (training.outcome !== "failed" || isMisdirected(training)) return [];
  const target = lower(training.filterUser ?? training.login ?? "unknown");
  const rspamd = isRspamdTraining(training);
  const cause = rspamd
    ? /^Rspamd refused|already|learn condition/i.test(training.reason ?? "")
      ? "refused"
      : "rspamd-failed"
    : causeOf(training.reason);
  return [
    {
      kind: "training-failed",
      subject: { cause, ...(rspamd ? RSPAMD_SUBJECT : {}) },
      severity: trainingFailed.severity,
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
        ...(rspamd
          ? {
              filterSaid: training.reason,
              otherBayesScored:
                training.classifiedUser !== null &&
                training.filterUser !== null &&
                lower(training.classifiedUser) !== lower(training.filterUser),
            }
          : {}),
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
  cause: (s) =>
    s.cause === "signature-missing"
      ? "signature no longer there"
      : s.cause === "refused"
        ? "Rspamd refused the learn"
        : s.cause === "rspamd-failed"
          ? "rspamc failed"
          : "dspam failed",
  explain: (facts) => {
    if (isRspamdFinding(facts)) return explainRspamdFailed(facts);
    const said = values(facts, "dspamSaid")[0];
    const users = `for DSPAM ${facts.users.length === 1 ? "user" : "users"} ${list(facts.users)}`;
    return facts.subject.cause === "signature-missing"
      ? {
          summary: `${sentence(plural(facts.count, "retraining"))} ${users} failed: DSPAM no longer had the message's signature${said ? ` ("${said}")` : ""}.`,
          cause:
            "DSPAM retrains from the signature it stored when it classified the message. It was gone: purged, never stored, or the header that names it was lost when the message was moved or edited.",
          fix: "Keep signatures as long as people may retrain: `PurgeSignatures` in dspam.conf (days, applied by dspam_clean) must be longer than the time users take to move mail; check that the messages still carry the X-DSPAM-Signature header (`antispam_signature` in Dovecot's antispam settings names it) and that dspam can read the user's signature directory.",
        }
      : {
          summary: `${sentence(plural(facts.count, "retraining"))} ${users} failed${said ? `: ${said}` : ""}.`,
          cause: "dspam itself failed while retraining.",
          fix: "Read DSPAM's lines around these retrainings (the Sources page keeps them) and check that the dspam binary named by `antispam_dspam_binary` runs for the mail user: dovecot-antispam reports `Failed to call dspam` only to the mail client.",
        };
  },
  reason: (t) => `${plural(t.evidence, "retraining")} failed`,
};
