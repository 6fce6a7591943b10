import type { CorrelatorOutput, VerdictRecord } from "../core/journey.ts";
import { emptyRspamdState, type RspamdState } from "../filters/rspamd/state.ts";
import { domainOf } from "./classify.ts";
import { QueueIndex } from "./queue-index.ts";
import type {
  FailureState,
  ImapMoveState,
  JourneyState,
  QueueState,
  RetrainState,
  SessionState,
  StoreState,
  TrainingState,
} from "./state.ts";

export type CorrelatorOptions = {
  /** Domains whose recipients are local mailboxes, in addition to those learnt from deliveries. */
  localDomains?: readonly string[];
  /** How long a finished journey waits for late lines (Dovecot, DSPAM's files) before it is final. */
  graceMs?: number;
  /** A journey with no line for this long is finished even if a queue was never removed. */
  maxIdleMs?: number;
};

export const DEFAULTS = {
  graceMs: 5 * 60_000,
  // Postfix keeps a message at most maximal_queue_lifetime (5 days) and retries every ≤ 4000 s.
  maxIdleMs: 5 * 24 * 3_600_000 + 3_600_000,
  // Lines of other programs that belong to a message arrive within this window of its Postfix lines.
  joinWindowMs: 10 * 60_000,
  // The IMAP move, the antispam command and DSPAM's answer to it are logged within seconds.
  trainingWindowMs: 30_000,
  // A retrain is final once DSPAM had this long to log its outcome (files may be read later than the maillog).
  trainingGraceMs: 2 * 60_000,
};

/** The correlator's mutable state, shared by its handler modules. */
export class Context {
  clock = 0;
  nextSeq = 1;
  readonly queues = new Map<number, QueueState>();
  readonly queueIndex = new QueueIndex();
  readonly journeys = new Map<number, JourneyState>();
  /** Message-ID → journeys that carry it. */
  readonly byMessageId = new Map<string, Set<number>>();
  /** smtpd sessions by host + pid. */
  readonly sessions = new Map<string, SessionState>();
  /** Dovecot LMTP session id → the Postfix delivery that got it. */
  readonly bySession = new Map<string, { queue: number; delivery: number }>();
  /** Every host a queue was seen on (to look a relayed queue id up on the other servers). */
  readonly hosts = new Set<string>();
  /** Queue id another server answered `queued as` with → the delivery, until that server's queue is read. */
  readonly relays = new Map<string, { queue: number; delivery: number }>();
  stores: StoreState[] = [];
  verdicts: VerdictRecord[] = [];
  moves: ImapMoveState[] = [];
  failures: FailureState[] = [];
  retrains: RetrainState[] = [];
  trainings: TrainingState[] = [];
  /** Rspamd's scans waiting for their task line, learns waiting for their script run. */
  rspamd: RspamdState = emptyRspamdState();
  /** Folders dovecot-antispam treats as spam (from its start-up lines), e.g. Junk. */
  readonly spamFolders = new Set<string>();
  readonly learntDomains = new Set<string>();
  readonly configuredDomains: Set<string>;
  readonly filterRelays = new Set<string>();
  readonly out: CorrelatorOutput[] = [];
  readonly graceMs: number;
  readonly maxIdleMs: number;

  constructor(options: CorrelatorOptions) {
    this.configuredDomains = new Set((options.localDomains ?? []).map((d) => d.toLowerCase()));
    this.graceMs = options.graceMs ?? DEFAULTS.graceMs;
    this.maxIdleMs = options.maxIdleMs ?? DEFAULTS.maxIdleMs;
  }

  seq(): number {
    const seq = this.nextSeq;
    this.nextSeq += 1;
    return seq;
  }

  /** A recipient is local when its domain is configured or was seen on a mailbox delivery; a bare name is local. */
  isLocalRecipient = (address: string): boolean => {
    const domain = domainOf(address);
    if (domain === null) return true;
    return this.configuredDomains.size > 0
      ? this.configuredDomains.has(domain)
      : this.learntDomains.has(domain);
  };

  queueByKey(host: string | null, queueId: string): QueueState | undefined {
    const seq = this.queueIndex.get(host, queueId);
    return seq === undefined ? undefined : this.queues.get(seq);
  }

  journeyOf(queue: QueueState): JourneyState {
    const journey = this.journeys.get(queue.journey);
    if (!journey) throw new Error(`queue ${queue.queueId} points to a missing journey`);
    return journey;
  }

  /** The journey touched a server none of its queues is on (Dovecot's store on an IMAP host). */
  addHost(journey: JourneyState, host: string | null): void {
    if (host === null || journey.hosts?.includes(host)) return;
    journey.hosts = [...(journey.hosts ?? []), host];
  }

  touch(journey: JourneyState, ts: number, line?: [number, string]): void {
    if (ts > journey.lastActivity) journey.lastActivity = ts;
    journey.dirty = true;
    if (line) journey.lines.push(line);
  }

  indexMessageId(messageId: string, journey: number): void {
    let set = this.byMessageId.get(messageId);
    if (!set) {
      set = new Set();
      this.byMessageId.set(messageId, set);
    }
    set.add(journey);
  }

  /** Journeys carrying this Message-ID, newest first. */
  journeysWithMessageId(messageId: string): JourneyState[] {
    const seqs = this.byMessageId.get(messageId);
    if (!seqs) return [];
    return [...seqs]
      .map((seq) => this.journeys.get(seq))
      .filter((j): j is JourneyState => j !== undefined)
      .sort((a, b) => b.lastActivity - a.lastActivity);
  }
}
