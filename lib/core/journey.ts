// What the correlator produces and the store persists: one journey per message through the
// pipeline, and the retraining attempts made on messages later.
// NOTE: the string values of these unions are persisted and part of the JSON contract.
import type { FilterName } from "../filters/verdict.ts";

/** Where a message entered the mail system. */
export type Origin = "inbound" | "authenticated" | "local" | "unknown";
export const ORIGINS: readonly Origin[] = ["inbound", "authenticated", "local", "unknown"];

/** How one Postfix queue was linked to the queue it came from. */
export type LinkRule =
  /** The filter's reply named the new queue: `250 2.0.0 Ok: queued as NEWID` (amavis and plain). */
  | "queued-as"
  /** The reinjection smtpd logged `orig_queue_id=` (the filter passed XFORWARD). */
  | "xforward"
  /** DSPAM in LMTP mode: same Message-ID and sender from localhost, for one recipient of the hand-off. */
  | "dspam-lmtp"
  /** A pipe to a filter, then `sendmail` → pickup with the same Message-ID. */
  | "pipe-pickup"
  /** Same Message-ID from localhost shortly after, no filter hand-off seen. */
  | "message-id"
  /** Another of our servers received it: the sending server's reply named this queue (lib/correlate/relay.ts). */
  | "relay";

export type LinkConfidence = "exact" | "heuristic";

export type QueueRecord = {
  /** The mail server the queue is on (syslog host; null when the lines carry none). */
  host: string | null;
  queueId: string;
  firstTs: number;
  lastTs: number;
  /** How the queue file was made: an SMTP session, pickup (sendmail), or by Postfix itself (bounces, forwards). */
  via: "smtpd" | "pickup" | "internal";
  /** syslog_name of the smtpd that received it (postfix, postfix/submission, …): the only trace of the port. */
  service: string | null;
  clientName: string | null;
  clientIp: string | null;
  saslMethod: string | null;
  saslUsername: string | null;
  pickupUid: number | null;
  sender: string | null;
  size: number | null;
  nrcpt: number | null;
  messageId: string | null;
  /** The one envelope recipient this queue was received for, when its deliveries agree (DSPAM reinjects one per recipient). */
  receivedFor: string | null;
  /** removed (done), expired (returned to sender), deleted (postsuper), or null while still queued. */
  closed: "removed" | "expired" | "deleted" | null;
  parent: {
    queueId: string;
    rule: LinkRule;
    confidence: LinkConfidence;
    /** The hand-off recipient this queue was reinjected for. */
    recipient: string | null;
  } | null;
  /** reject / hold / discard / milter actions taken on the queue file. */
  actions: string[];
};

/**
 * Where a delivery line took the message. `relay`: to another of our own servers, whose queue of the
 * message is in the same journey (lib/correlate/relay.ts); not a final delivery.
 */
export type DeliveryDestination = "mailbox" | "external" | "filter" | "relay" | "other";

export type DeliveryRecord = {
  queueId: string;
  ts: number;
  /** Final address (to=). */
  recipient: string;
  /** Address before alias expansion (orig_to=), when it differs. */
  origRecipient: string | null;
  relay: string;
  /** Delivery agent: smtp, lmtp, local, virtual, pipe, error, … */
  agent: string;
  status: string;
  dsn: string;
  reply: string;
  destination: DeliveryDestination;
  /** For filter hand-offs: which filter (dspam, amavis, …). */
  filter: string | null;
  session: string | null;
  queuedAs: string | null;
  forwardedAs: string | null;
  /** Where Dovecot stored it, and how that was matched. */
  mailbox: { user: string; folder: string; match: "lmtp-session" | "message-id" } | null;
  /** The filter's verdict this copy carries (the classification of the queue it left from). */
  verdict: CopyVerdict | null;
  lineId: number;
};

/** What a delivered copy says about the filter's verdict on it. */
export type CopyVerdict = {
  filter: FilterName;
  filterUser: string | null;
  result: string;
  signature: string | null;
};

/** One filter's classification of a message (the stored shape of lib/filters/verdict.ts's Verdict). */
export type VerdictRecord = {
  ts: number;
  filter: FilterName;
  /** The filter's statistics user (DSPAM user, Rspamd Bayes user); null for a global statistics store. */
  filterUser: string | null;
  /** The classification in the filter's words: DSPAM's class names (spam, innocent, whitelisted, …). */
  result: string;
  /** The filter's action (Rspamd's no action, add header, reject…); DSPAM logs none. */
  action: string | null;
  score: number | null;
  signature: string | null;
  status: string;
  from: string | null;
  subject: string | null;
  messageId: string | null;
  /** The reinjected queue that carries this classification, when known. */
  queueId: string | null;
  lineId: number;
};

export type JourneyRecord = {
  /** NOTE: persisted, stable across runs: host/first-queue-id/first-second. */
  key: string;
  /** The server the message entered by (its first queue's host). */
  host: string | null;
  /** Every server the journey touched (its queues' hosts, the host Dovecot stored it on), sorted. */
  hosts: string[];
  messageId: string | null;
  firstTs: number;
  lastTs: number;
  /** Every queue is closed (removed, expired or deleted). */
  complete: boolean;
  /**
   * Handed out while the correlator still follows it: a queue is open, or (under follow) it waits
   * for late lines of other programs. Later lines replace it; false once it is final.
   */
  inProgress: boolean;
  origin: Origin;
  service: string | null;
  clientName: string | null;
  clientIp: string | null;
  saslUsername: string | null;
  sender: string | null;
  size: number | null;
  subject: string | null;
  queues: QueueRecord[];
  deliveries: DeliveryRecord[];
  verdicts: VerdictRecord[];
  /** A bounce or forwarded copy points to the journey it came from. */
  parent: { key: string; relation: "bounce" | "forward" } | null;
  /** Lines of this journey and the hop each belongs to (a queue id, dspam, dovecot, session). */
  lines: { lineId: number; hop: string }[];
};

export type TrainingDirection = "spam" | "innocent";
export type TrainingOutcome = "applied" | "failed" | "unknown";

/** One retraining of a filter, usually from an IMAP move into or out of the spam folder. */
export type TrainingRecord = {
  /** NOTE: persisted: signature/second/target user. */
  key: string;
  ts: number;
  host: string | null;
  /** The IMAP login that moved the message (null when only DSPAM's side was logged). */
  login: string | null;
  filter: FilterName;
  /** The statistics user the retrain was aimed at (DSPAM's --user). */
  filterUser: string | null;
  /** The statistics user that classified the message (from the signature's verdict), when known. */
  classifiedUser: string | null;
  signature: string | null;
  messageId: string | null;
  direction: TrainingDirection;
  outcome: TrainingOutcome;
  /** Why it failed (DSPAM's words) or why the outcome is unknown. */
  reason: string | null;
  fromMailbox: string | null;
  toMailbox: string | null;
  lines: number[];
};

/** A DSPAM classification that matched no journey (its mail log is not ingested, or it had no Message-ID). */
export type OrphanVerdict = VerdictRecord;

/**
 * A Dovecot store (LMTP "saved mail to", sieve "stored mail into mailbox") that matched no Postfix
 * delivery yet: its delivery was logged on another server and read in another run, or not yet.
 */
export type StoreRecord = {
  ts: number;
  host: string | null;
  user: string;
  session: string | null;
  messageId: string | null;
  folder: string;
  lineId: number;
};

/** What the correlator hands to the store. */
export type CorrelatorOutput =
  /** `replaces`: the journey was handed out before (its stored rows are replaced, not added). */
  | { type: "journey"; journey: JourneyRecord; replaces: boolean }
  | { type: "drop-journey"; key: string }
  | { type: "training"; training: TrainingRecord }
  | { type: "orphan-verdict"; verdict: OrphanVerdict }
  | { type: "orphan-store"; store: StoreRecord };
