import type { FindingKind } from "@/lib/detect/types";

/** Finding kinds as an administrator reads them. */
export const KIND_LABELS: Record<FindingKind, string> = {
  "duplicate-delivery": "Duplicate deliveries",
  "classified-under-alias": "Classified under an alias",
  "training-misdirected": "Retraining lands on the wrong DSPAM user",
  "training-failed": "Retraining failed",
  "verdict-on-authenticated": "Authenticated mail filtered",
  "auth-on-port-25": "Logins accepted on port 25",
  "verdict-on-outgoing": "Outgoing mail filtered",
  "verdict-on-local": "Mail from the server itself filtered",
  "dspam-user-sprawl": "Stray DSPAM dictionary",
  "filter-problem": "Content filter problem",
};

export function kindLabel(kind: string): string {
  return KIND_LABELS[kind as FindingKind] ?? kind;
}

/** What a finding is about, in one line (its subject's values). */
export function subjectText(subject: Record<string, string>): string {
  return Object.values(subject).join(" · ");
}
