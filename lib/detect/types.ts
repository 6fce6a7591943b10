// NOTE: kind names are part of the CLI and JSON contract (spamtrail findings --kind …).
export const FINDING_KINDS = [
  "duplicate-delivery",
  "classified-under-alias",
  "training-misdirected",
  "training-failed",
  "verdict-on-authenticated",
  "auth-on-port-25",
  "verdict-on-outgoing",
  "verdict-on-local",
  "dspam-user-sprawl",
  "filter-problem",
] as const;

export type FindingKind = (typeof FINDING_KINDS)[number];
export type Severity = "high" | "medium" | "low";

export const SEVERITY_RANK: Record<Severity, number> = { high: 3, medium: 2, low: 1 };

/** What the detectors know about the whole server, learnt from everything ingested so far. */
export type DetectContext = {
  /** True for recipients in the local domains (configured, or learnt from mailbox deliveries). */
  isLocalRecipient(address: string): boolean;
  /** smtpd services that received unauthenticated mail from other hosts: the MX, port 25. */
  mxServices: ReadonlySet<string>;
  /** Services whose inbound mail went through the content filter at least once. */
  filteredServices: ReadonlySet<string>;
  /** Addresses (lower case) that received mail into a mailbox: the people. */
  mailboxes: ReadonlySet<string>;
};

/** One piece of evidence for one finding; a finding is the aggregate of its evidence. */
export type Evidence = {
  kind: FindingKind;
  /** What the finding is about; with the kind it makes the finding's key. */
  subject: Record<string, string>;
  severity: Severity;
  /** What this evidence is (a journey key, a training key, dspam-user:<u>, line:<id>): re-detection replaces it. */
  ref: string;
  ts: number;
  messageId: string | null;
  journeyKey: string | null;
  users: string[];
  recipients: string[];
  detail: Record<string, unknown>;
  lineIds: number[];
};

/** NOTE: persisted (Finding.key). */
export function findingKey(kind: FindingKind, subject: Record<string, string>): string {
  return `${kind}:${Object.values(subject).join("/")}`;
}

export const lower = (address: string) => address.toLowerCase();
export const unique = (values: Iterable<string>) => [...new Set(values)].sort();
