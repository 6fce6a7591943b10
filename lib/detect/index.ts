import type { JourneyRecord, TrainingRecord } from "../core/journey.ts";
import { detectAuthOnPort25 } from "./auth-on-port-25.ts";
import { detectClassifiedUnderAlias } from "./classified-under-alias.ts";
import { detectDuplicateDelivery } from "./duplicate-delivery.ts";
import { detectFilterProblemsInJourney } from "./filter-problem.ts";
import { detectTrainingFailed } from "./training-failed.ts";
import { detectTrainingMisdirected } from "./training-misdirected.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { detectVerdictOnAuthenticated } from "./verdict-on-authenticated.ts";
import { detectVerdictOnLocal } from "./verdict-on-local.ts";
import { detectVerdictOnOutgoing } from "./verdict-on-outgoing.ts";

export { type DspamUserSeen, detectDspamUserSprawl } from "./dspam-user-sprawl.ts";
export { detectDspamErrors } from "./filter-problem.ts";
export * from "./types.ts";

/** Every finding one message journey is evidence of; pure. */
export function detectJourney(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  return [
    ...detectDuplicateDelivery(journey),
    ...detectClassifiedUnderAlias(journey, ctx),
    ...detectVerdictOnAuthenticated(journey),
    ...detectAuthOnPort25(journey, ctx),
    ...detectVerdictOnOutgoing(journey, ctx),
    ...detectVerdictOnLocal(journey),
    ...detectFilterProblemsInJourney(journey, ctx),
  ];
}

/** Every finding one retraining is evidence of; pure. */
export function detectTraining(training: TrainingRecord): Evidence[] {
  return [...detectTrainingMisdirected(training), ...detectTrainingFailed(training)];
}
