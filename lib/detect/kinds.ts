import { authOnPort25 } from "./auth-on-port-25.ts";
import { classifiedUnderAlias } from "./classified-under-alias.ts";
import type { Explanation, FindingDefinition, FindingFacts } from "./definition.ts";
import { dspamUserSprawl } from "./dspam-user-sprawl.ts";
import { duplicateDelivery } from "./duplicate-delivery.ts";
import { filterProblem } from "./filter-problem.ts";
import { trainingFailed } from "./training-failed.ts";
import { trainingMisdirected } from "./training-misdirected.ts";
import { FINDING_KINDS, type FindingKind } from "./types.ts";
import { verdictOnAuthenticated } from "./verdict-on-authenticated.ts";
import { verdictOnLocal } from "./verdict-on-local.ts";
import { verdictOnOutgoing } from "./verdict-on-outgoing.ts";

/**
 * NOTE: persisted (Setting "detectors"). Raise it when detectors change what they find or how they
 * group it: ingest and follow then detect every stored journey and retraining again.
 */
export const DETECTORS_VERSION = 2;

/** Every kind of finding, one definition each (its file holds its detector and its words). */
export const FINDING_DEFINITIONS: Readonly<Record<FindingKind, FindingDefinition>> = {
  "duplicate-delivery": duplicateDelivery,
  "classified-under-alias": classifiedUnderAlias,
  "training-misdirected": trainingMisdirected,
  "training-failed": trainingFailed,
  "verdict-on-authenticated": verdictOnAuthenticated,
  "auth-on-port-25": authOnPort25,
  "verdict-on-outgoing": verdictOnOutgoing,
  "verdict-on-local": verdictOnLocal,
  "dspam-user-sprawl": dspamUserSprawl,
  "filter-problem": filterProblem,
};

/** The definitions in FINDING_KINDS order. */
export const DEFINITIONS: readonly FindingDefinition[] = FINDING_KINDS.map((k) => FINDING_DEFINITIONS[k]);

/** A kind's heading ("Duplicate deliveries"); an unknown kind (from an older database) as it is. */
export function kindTitle(kind: string): string {
  return FINDING_DEFINITIONS[kind as FindingKind]?.title ?? kind;
}

/** Words a mail administrator acts on, for a finding of any kind. */
export function explain(facts: FindingFacts): Explanation {
  return FINDING_DEFINITIONS[facts.kind].explain(facts);
}

/** A finding as another finding may link to it. */
export type FindingRef = { id: number; kind: string; subject: Record<string, string> };

/** The findings among `candidates` that `finding` names as related (same cause, or its consequence). */
export function relatedFindings<T extends FindingRef>(finding: FindingRef, candidates: readonly T[]): T[] {
  const wanted = FINDING_DEFINITIONS[finding.kind as FindingKind]?.related?.(finding.subject) ?? [];
  return candidates.filter(
    (c) =>
      c.id !== finding.id &&
      wanted.some(
        (w) =>
          w.kind === c.kind &&
          Object.entries(w.subject ?? {}).every(([field, value]) => c.subject[field] === value),
      ),
  );
}

/** "Retraining sent to the wrong DSPAM user: IMAP logins without their domain (%u)". */
export function findingTitle(kind: string, subject: Record<string, string>): string {
  const definition = FINDING_DEFINITIONS[kind as FindingKind];
  return definition ? `${definition.title}: ${definition.cause(subject)}` : kind;
}
