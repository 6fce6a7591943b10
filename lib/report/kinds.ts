import type { FindingKind } from "../detect/types.ts";

/** Short titles for finding kinds, as the report's headings show them. */
export const KIND_TITLES: Record<FindingKind, string> = {
  "duplicate-delivery": "Duplicate deliveries",
  "classified-under-alias": "Mail judged under an alias or a forward",
  "training-misdirected": "Retraining sent to the wrong DSPAM user",
  "training-failed": "Retraining failed",
  "verdict-on-authenticated": "Logged-in users' mail filtered",
  "auth-on-port-25": "Logins accepted on port 25",
  "verdict-on-outgoing": "Outgoing mail filtered",
  "verdict-on-local": "Mail made on the server filtered",
  "dspam-user-sprawl": "DSPAM dictionaries nobody trains",
  "filter-problem": "Content filter problems",
};
