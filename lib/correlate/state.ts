import type { LogEvent } from "../core/events.ts";
import type { DeliveryRecord, TrainingDirection, TrainingOutcome, VerdictRecord } from "../core/journey.ts";
import type { RspamdState } from "../filters/rspamd/state.ts";

/** One parsed line, as the correlator sees it. */
export type CorrelatorEvent = {
  lineId: number;
  ts: number;
  host: string | null;
  pid: number | null;
  event: LogEvent;
};

export type DeliveryState = Omit<DeliveryRecord, "verdict">;

export type QueueState = {
  seq: number;
  host: string | null;
  queueId: string;
  firstTs: number;
  lastTs: number;
  via: "smtpd" | "pickup" | "internal";
  /** True once the line that creates the queue file (client=, pickup, cleanup) was seen. */
  started: boolean;
  /** False for a queue only named by another's `queued as` so far: left out until a line of its own arrives. */
  seen: boolean;
  service: string | null;
  clientName: string | null;
  clientIp: string | null;
  saslMethod: string | null;
  saslUsername: string | null;
  origQueueId: string | null;
  pickupUid: number | null;
  sender: string | null;
  size: number | null;
  nrcpt: number | null;
  messageId: string | null;
  closed: "removed" | "expired" | "deleted" | null;
  actions: string[];
  deliveries: DeliveryState[];
  journey: number;
};

export type JourneyState = {
  seq: number;
  key: string;
  queues: number[];
  lines: [number, string][];
  verdicts: VerdictRecord[];
  parent: { journey: number | null; key: string | null; relation: "bounce" | "forward" } | null;
  lastActivity: number;
  /** Changed since it was last handed out. */
  dirty: boolean;
  /** Handed out at least once (a later merge must tell the store to drop it). */
  emitted: boolean;
  /** Servers it touched besides its queues' (the IMAP host Dovecot stored it on); absent in older snapshots. */
  hosts?: string[];
};

export type SessionState = {
  host: string | null;
  pid: number;
  lines: number[];
  queues: number[];
  ts: number;
};

/** A Dovecot store (LDA/LMTP saved, sieve stored) not matched to a Postfix delivery yet. */
export type StoreState = {
  ts: number;
  host: string | null;
  user: string;
  session: string | null;
  messageId: string | null;
  folder: string;
  lineId: number;
};

/** An IMAP copy/move/append seen in the mail_log plugin's lines. */
export type ImapMoveState = {
  ts: number;
  host: string | null;
  login: string;
  session: string | null;
  fromMailbox: string | null;
  toMailbox: string | null;
  messageId: string | null;
  lines: number[];
  claimed: boolean;
};

/** The lines DSPAM writes when a retrain cannot find its signature (grouped per process). */
export type FailureState = {
  ts: number;
  host: string | null;
  pid: number | null;
  signature: string | null;
  dspamUser: string | null;
  reasons: string[];
  /** Kinds of the lines seen so far (each appears once per failure). */
  kinds: string[];
  lines: number[];
  done: boolean;
  claimed: boolean;
  /** The training that claimed it (absent in snapshots saved before it was kept). */
  claimedBy?: string;
};

/** An M/F record: DSPAM applied a retrain. */
export type RetrainState = {
  ts: number;
  signature: string | null;
  dspamUser: string;
  direction: TrainingDirection;
  lineId: number;
  claimed: boolean;
};

export type TrainingState = {
  key: string;
  ts: number;
  host: string | null;
  login: string | null;
  dspamUser: string | null;
  signature: string | null;
  messageId: string | null;
  direction: TrainingDirection;
  outcome: TrainingOutcome;
  reason: string | null;
  fromMailbox: string | null;
  toMailbox: string | null;
  lines: number[];
  /** Made from dovecot-antispam's dspam command (false: from DSPAM's answer alone). */
  commanded: boolean;
  dirty: boolean;
};

/** The correlator's whole open state as plain data: snapshot() writes it, restore reads it back. */
export type CorrelatorSnapshot = {
  version: 1;
  clock: number;
  nextSeq: number;
  queues: QueueState[];
  journeys: JourneyState[];
  sessions: SessionState[];
  stores: StoreState[];
  verdicts: VerdictRecord[];
  moves: ImapMoveState[];
  failures: FailureState[];
  retrains: RetrainState[];
  trainings: TrainingState[];
  /** Absent in snapshots written before Rspamd was read. */
  rspamd?: RspamdState;
  localDomains: string[];
  filterRelays: string[];
  spamFolders: string[];
};
