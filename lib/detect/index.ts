import type { JourneyRecord, TrainingRecord } from "../core/journey.ts";
import type { StoredLine } from "../ingest/line-pipeline.ts";
import type { DspamUserSeen } from "./definition.ts";
import { DEFINITIONS } from "./kinds.ts";
import type { DetectContext, Evidence } from "./types.ts";

export type { DspamUserSeen } from "./definition.ts";
export * from "./types.ts";

/** Every finding one message journey is evidence of; pure. */
export function detectJourney(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  return DEFINITIONS.flatMap((d) => d.detect.journey?.(journey, ctx) ?? []);
}

/** Every finding one retraining is evidence of; pure. */
export function detectTraining(training: TrainingRecord): Evidence[] {
  return DEFINITIONS.flatMap((d) => d.detect.training?.(training) ?? []);
}

/** Findings about the DSPAM users seen so far (recomputed as a whole); pure. */
export function detectDspamUsers(users: readonly DspamUserSeen[], ctx: DetectContext): Evidence[] {
  return DEFINITIONS.flatMap((d) => d.detect.dspamUsers?.(users, ctx) ?? []);
}

/** Findings shown by single log lines (DSPAM's own errors); pure. */
export function detectLines(lines: readonly StoredLine[]): Evidence[] {
  return DEFINITIONS.flatMap((d) => d.detect.lines?.(lines) ?? []);
}

/** Kinds whose evidence is recomputed as a whole (detectDspamUsers), replaced together. */
export const WHOLE_KINDS = DEFINITIONS.filter((d) => d.detect.dspamUsers).map((d) => d.kind);
