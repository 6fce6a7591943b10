import type { FindingKind, Severity } from "../detect/types.ts";

// NOTE: check ids are part of the CLI and JSON contract (`spamtrail audit --json`) and are stored in
// config snapshots; renaming one needs a migration of ConfigSnapshot.results.
export const CHECK_IDS = [
  "alias-expansion-twice",
  "alias-expansion-after-filter",
  "alias-expansion-never",
  "forward-through-filter",
  "filter-on-authenticated",
  "auth-on-port-25",
  "filter-on-local",
  "filter-loop",
  "filter-bypass",
  "filter-return-missing",
  "training-user-mismatch",
  "signature-not-in-headers",
  "spam-folder-mismatch",
  "rspamd-scans-authenticated",
  "rspamd-scans-local",
  "mynetworks-too-broad",
  "rspamd-bayes-keyed-by-alias",
  "rspamd-learn-user-mismatch",
  "rspamd-min-learns",
  "rspamd-bayes-no-redis",
  "unexplained-symptom",
  "unreadable-config",
] as const;

export type CheckId = (typeof CHECK_IDS)[number];

/** What a configuration file is; recognised from its content and name. */
export type ConfigKind =
  | "postfix-main"
  | "postfix-master"
  | "postconf-n"
  | "postconf-M"
  | "postconf-P"
  | "postfix-map"
  | "dovecot-conf"
  | "doveconf-n"
  | "dspam-conf"
  | "sieve"
  | "rspamd-conf"
  | "rspamd-configdump"
  | "learn-script";

/** One configuration file as read (or one command's saved output). */
export type ConfigFile = { path: string; kind: ConfigKind; text: string };

/** Where a setting was found: 1-based lines in the file given. */
export type Location = { file: string; line: number; endLine: number };

/**
 * One change to a file: lines startLine..endLine (1-based, inclusive) are replaced by `lines`.
 * endLine = startLine - 1 inserts before startLine; startLine = lineCount + 1 appends.
 */
export type ConfigEdit = { file: string; startLine: number; endLine: number; lines: string[] };

/** A finding kind the logs would show if the problem is real, and what the database holds of it. */
export type EvidenceRef = {
  kind: FindingKind;
  /** Filled by the --db join: how many messages / users the database shows, and the findings' ids. */
  messages?: number;
  users?: number;
  findingIds?: number[];
};

/** confirmed: the logs show the symptom; predicted: not (yet); unexplained: the logs show it, no cause found. */
export type EvidenceStatus = "confirmed" | "predicted" | "unexplained" | "not-checked";

/** One audit result: the `spamtrail audit --json` contract (README). */
export type AuditResult = {
  check: CheckId;
  severity: Severity;
  file: string | null;
  line: number | null;
  setting: string | null;
  value: string | null;
  /** The Postfix service (master.cf name/type) the setting applies to, when it is per service. */
  service: string | null;
  problem: string;
  /** The exact replacement lines or value, complete. */
  fix: string;
  edits: ConfigEdit[];
  evidence: EvidenceRef[];
  evidenceStatus: EvidenceStatus;
  /** One sentence on what the logs say, filled by the --db join. */
  evidenceNote: string | null;
};

/** A check: a stable id and a pure function of the configuration model. */
export type Check<Model> = { id: CheckId; run(model: Model): AuditResult[] };

/** A result before the evidence join. */
export function result(
  fields: Omit<AuditResult, "evidenceStatus" | "evidenceNote" | "evidence" | "edits" | "service"> & {
    evidence?: FindingKind[];
    edits?: ConfigEdit[];
    service?: string | null;
  },
): AuditResult {
  return {
    ...fields,
    service: fields.service ?? null,
    edits: fields.edits ?? [],
    evidence: (fields.evidence ?? []).map((kind) => ({ kind })),
    evidenceStatus: "not-checked",
    evidenceNote: null,
  };
}

export const SEVERITY_ORDER: Record<Severity, number> = { high: 0, medium: 1, low: 2 };
