import type { TrainingRecord } from "../core/journey.ts";
import { isMisdirected } from "./training-misdirected.ts";
import type { Evidence } from "./types.ts";
import { lower } from "./types.ts";

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
