import type { JourneyRecord, TrainingRecord } from "../core/journey.ts";
import type { StoredLine } from "../ingest/line-pipeline.ts";
import type { DetectContext, Evidence, FindingKind, Severity } from "./types.ts";

/** A finding as the read side aggregates it, enough to explain it. */
export type FindingFacts = {
  kind: FindingKind;
  subject: Record<string, string>;
  severity: Severity;
  count: number;
  users: string[];
  recipients: string[];
  /** The `detail` objects of its evidence. */
  details: Record<string, unknown>[];
};

export type Explanation = {
  /** One line: what is wrong, with numbers. */
  summary: string;
  /** Why it happens, in the configuration's terms. */
  cause: string;
  /** The change that fixes it. */
  fix: string;
};

/** A DSPAM user as seen in verdicts, retrains and DSPAM's error lines. */
export type DspamUserSeen = {
  user: string;
  firstSeen: number;
  lastSeen: number;
  classified: number;
  retrainTargets: number;
  lineIds: number[];
  /** Rspamd: a Bayes user learns went into (absent: a DSPAM user). */
  filter?: "rspamd";
};

/** A finding to link to from another: its kind and the subject values it must have. */
export type RelatedFinding = { kind: FindingKind; subject?: Record<string, string> };

/** What the weekly report's summary line about a kind counts: its findings in the period. */
export type KindTally = {
  /** Findings (causes) of the kind. */
  findings: number;
  /** Pieces of evidence. */
  evidence: number;
  /** Distinct messages among the evidence. */
  messages: number;
  /** The filter(s) of these findings as texts name them ("DSPAM", "Rspamd", "DSPAM and Rspamd"). */
  filter: string;
  /** Their statistics user's word ("DSPAM user", "Bayes user"). */
  userWord: string;
};

/** What a finding's evidence is, for the words that count it ("3 messages", "2 retrainings"). */
export type EvidenceUnit = "message" | "retraining" | "DSPAM user" | "error";

/**
 * Everything about one kind of finding in one place: its name, how bad it usually is, what finds it,
 * and the words that explain it. The CLI, the dashboard and the report all read these.
 */
export type FindingDefinition = {
  kind: FindingKind;
  /** Its heading everywhere: dashboard, CLI, report. */
  title: string;
  /** Its usual severity; a piece of evidence may be worse (a spam verdict on a colleague's mail). */
  severity: Severity;
  /** What one piece of its evidence is. */
  unit: EvidenceUnit;
  /** The detectors, by what they look at; each is pure. */
  detect: {
    journey?: (journey: JourneyRecord, ctx: DetectContext) => Evidence[];
    training?: (training: TrainingRecord) => Evidence[];
    dspamUsers?: (users: readonly DspamUserSeen[], ctx: DetectContext) => Evidence[];
    lines?: (lines: readonly StoredLine[]) => Evidence[];
  };
  /** Which cause of the kind a finding is (its subject), in a few words beside the title. */
  cause(subject: Record<string, string>): string;
  /** What is wrong, why, and the change that fixes it. */
  explain(facts: FindingFacts): Explanation;
  /**
   * Findings with the same cause, or that this one causes, to link to: their kind and the subject
   * values they must have (none: any finding of the kind).
   */
  related?(subject: Record<string, string>): RelatedFinding[];
  /** A short phrase for the weekly report's list of what needs attention. */
  reason(tally: KindTally): string;
};
