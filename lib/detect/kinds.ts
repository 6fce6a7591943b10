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
