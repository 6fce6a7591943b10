// NOTE: kind names and field names are part of `spamtrail parse --json` (README documents them).
// Every parser returns one of these; the correlator switches on `kind`.
import type { RspamdEvent } from "../filters/rspamd/index.ts";
import type { LearnScriptLine } from "../filters/rspamd/learn-script.ts";

/** The class letters DSPAM writes into system.log and <user>.log. */
export type DspamClassLetter = "S" | "I" | "W" | "V" | "A" | "O" | "M" | "F" | "C" | "N" | "E" | "U";

export type DspamClassName =
  | "spam"
  | "innocent"
  | "whitelisted"
  | "virus"
  | "blacklisted"
  | "blocklisted"
  | "retrained-spam"
  | "retrained-innocent"
  | "corpus"
  | "inoculation"
  | "error"
  | "unknown";

/** Fields every Postfix event carries: `service` is the syslog_name part of the tag (postfix, postfix/submission, postfix-in). */
type PostfixBase = { service: string; daemon: string };

export type SmtpdConnect = PostfixBase & {
  kind: "postfix.connect";
  clientName: string;
  clientIp: string;
  clientPort?: number;
};

export type SmtpdDisconnect = PostfixBase & {
  kind: "postfix.disconnect";
  clientName: string;
  clientIp: string;
  clientPort?: number;
  /** Command counters since Postfix 3.0, e.g. { ehlo: "2", auth: "1", commands: "6/7" }. */
  commands: Record<string, string>;
};

export type SmtpdClient = PostfixBase & {
  kind: "postfix.client";
  queueId: string;
  clientName: string;
  clientIp: string;
  clientPort?: number;
  saslMethod?: string;
  saslUsername?: string;
  saslSender?: string;
  origQueueId?: string;
  origClientName?: string;
  origClientIp?: string;
};

/** smtpd/cleanup/postscreen actions logged by log_whatsup and friends: reject, defer, hold, filter, milter-*, header/body checks. */
export type PostfixAction = PostfixBase & {
  kind: "postfix.action";
  /** null for NOQUEUE. */
  queueId: string | null;
  /** reject, defer, hold, discard, filter, redirect, warning, info, replace, prepend, milter-reject, proxy-accept, … */
  action: string;
  /** SMTP stage (CONNECT, HELO, MAIL, RCPT, DATA, END-OF-MESSAGE) or, for cleanup checks, "header" / "body". */
  stage: string;
  clientName?: string;
  clientIp?: string;
  clientPort?: number;
  /** Reply code and enhanced status, when the text starts with them. */
  code?: string;
  dsn?: string;
  reply: string;
  /** For cleanup header/body checks: the header or body text that matched. */
  checked?: string;
  /** proxy-accept: the after-filter queue id when the proxy's reply says `queued as ID`. */
  queuedAs?: string;
  from?: string;
  to?: string;
  proto?: string;
  helo?: string;
  saslUsername?: string;
};

export type SaslFailure = PostfixBase & {
  kind: "postfix.sasl-failure";
  clientName: string;
  clientIp: string;
  clientPort?: number;
  mechanism: string;
  reason: string;
  saslUsername?: string;
};

/** lost connection / timeout / too many errors / improper command pipelining / bare <LF> received after STAGE from CLIENT. */
export type ConnectionProblem = PostfixBase & {
  kind: "postfix.connection-problem";
  problem:
    | "lost connection"
    | "timeout"
    | "too many errors"
    | "improper command pipelining"
    | "bare <LF> received";
  stage: string;
  /** What follows the stage or the client: `7774180 bytes` (lost connection after DATA), the pipelined text. */
  detail?: string;
  clientName: string;
  clientIp: string;
  clientPort?: number;
};

export type CleanupMessageId = PostfixBase & {
  kind: "postfix.message-id";
  queueId: string;
  /** Normalised: the text inside <…> when bracketed, else the raw value trimmed; null when empty. */
  messageId: string | null;
  /** Exactly as logged (the raw header value). */
  messageIdRaw: string;
  resent: boolean;
};

export type QmgrFrom = PostfixBase & {
  kind: "postfix.qmgr";
  queueId: string;
  from: string;
  size: number;
  nrcpt: number;
};

export type QueueRemoved = PostfixBase & {
  kind: "postfix.removed";
  queueId: string;
};

export type QueueExpired = PostfixBase & {
  kind: "postfix.expired";
  queueId: string;
  from: string;
  status: string;
};

export type Pickup = PostfixBase & {
  kind: "postfix.pickup";
  queueId: string;
  uid: number;
  from: string;
  origQueueId?: string;
};

export type Relay = {
  /** As logged: host[addr]:port, host[private/dovecot-lmtp], local, none, dovecot, … */
  raw: string;
  host: string;
  address?: string;
  port?: number;
  /** Unix socket path when the brackets hold a path instead of an address. */
  socket?: string;
};

export type Delivery = PostfixBase & {
  kind: "postfix.delivery";
  queueId: string;
  to: string;
  origTo?: string;
  relay: Relay;
  /** conn_use=N: the connection was reused for the Nth time. */
  connUse?: number;
  delay: number;
  delays: string;
  /** tls=… (Postfix 3.11+): the TLS security level and outcome, e.g. dane, may:none. */
  tls?: string;
  dsn: string;
  /** sent | deferred | bounced | expired | undeliverable | deliverable | undeliverable-but-not-cached (as logged) */
  status: string;
  /** The text in parentheses: remote reply or local reason. */
  reply: string;
  /** Next queue id when the reply says `queued as ID` (plain or amavis' `from MTA(…)`). */
  queuedAs?: string;
  /** Dovecot's LMTP session id in `250 2.0.0 <rcpt> SESSION Saved`. */
  session?: string;
  /** DSPAM LMTP daemon's `250 2.6.0 <rcpt> Message accepted for delivery`. */
  dspamAccepted?: boolean;
  /** DSPAM's verdict when its LMTP reply carries one (ServerMode dspam: `…: SPAM`). */
  dspamResult?: string;
  /** local(8): `forwarded as ID`. */
  forwardedAs?: string;
};

export type BounceNotification = PostfixBase & {
  kind: "postfix.bounce";
  queueId: string;
  /** sender non-delivery notification, postmaster non-delivery notification, sender delay notification, … */
  notification: string;
  newQueueId: string;
};

export type Postsuper = PostfixBase & {
  kind: "postfix.postsuper";
  queueId: string;
  action: "removed" | "requeued" | "placed on hold" | "released from hold";
};

export type Postscreen = PostfixBase & {
  kind: "postfix.postscreen";
  /** CONNECT, PASS NEW, PASS OLD, DISCONNECT, PREGREET, HANGUP, DNSBL, ALLOWLISTED, DENYLISTED, … */
  action: string;
  clientIp: string;
  clientPort?: number;
  detail?: string;
};

/** Known Postfix lines that do not move a message: warnings, TLS, statistics, daemon life cycle. */
export type PostfixNotice = PostfixBase & {
  kind: "postfix.notice";
  /**
   * warning, error, fatal, panic, tls, statistics, daemon, info, or delivery: a delivery agent's
   * note about a queue file or a remote host that is not a per-recipient status (host … said,
   * lost connection with …, connect to …: Connection timed out).
   */
  category: string;
  queueId?: string;
  text: string;
};

export type DspamRecord = {
  kind: "dspam.record";
  /** system.log or a per-user <user>.log */
  file: "system" | "user";
  epoch: number;
  dspamClass: DspamClassLetter;
  className: DspamClassName;
  /** The From header as DSPAM logged it; null for <None Specified>. */
  from: string | null;
  signature: string | null;
  subject: string | null;
  processingSeconds?: number;
  dspamUser: string;
  status: string;
  messageId: string | null;
  messageIdRaw: string;
};

export type DspamOpenFailed = {
  kind: "dspam.open-failed";
  path: string;
  reason: string;
  /** The DSPAM user whose directory the path is in (data/<user>/…, data/local/<user>/…, data/<domain>/<user>/…). */
  dspamUser?: string;
  signature?: string;
};

export type DspamSignatureFailed = { kind: "dspam.signature-failed"; signature: string };
export type DspamNoValidSignature = { kind: "dspam.no-valid-signature" };
export type DspamProcessError = {
  kind: "dspam.process-error";
  code: number;
  action: "dropping" | "delivering";
};
export type DspamAgentExit = { kind: "dspam.agent-exit"; code: number; command: string };
/** Daemon life cycle: starting, binding, socket, reloading, stopping, threads-terminated, terminating, exiting. */
export type DspamDaemon = {
  kind: "dspam.daemon";
  state: string;
  /** `Daemon terminating on signal N`. */
  signal?: number;
  /** Address or socket path of `Binding to HOST:PORT` / `Creating local domain socket PATH`. */
  detail?: string;
};
export type DspamError = { kind: "dspam.error"; text: string };
export type DspamSource = { kind: "dspam.source"; verdict: "spam" | "innocent" | "virus"; clientIp: string };

/** `X-DSPAM-Result: user; result="Spam"; class="Spam"; probability=…; confidence=…; signature=…` */
export type DspamSummary = {
  kind: "dspam.summary";
  dspamUser: string;
  result: string;
  resultClass: string;
  probability: number;
  confidence: number;
  signature: string | null;
};

type DovecotBase = {
  /** lmtp, lda, deliver, imap, pop3, imap-login, auth, … */
  service: string;
  user?: string;
  /** The Dovecot process that logged it (`lmtp(29272)`, `<29272>`), not the syslog pid. */
  processId?: number;
  session?: string;
};

/** LDA/LMTP `msgid=…: saved mail to BOX` / `save failed to BOX: …`. */
export type DovecotSaved = DovecotBase & {
  kind: "dovecot.saved";
  user: string;
  messageId: string | null;
  mailbox: string;
  ok: boolean;
  error?: string;
};

/** Pigeonhole actions: stored mail into mailbox, fileinto, redirect, discard, vacation, reject. */
export type DovecotSieve = DovecotBase & {
  kind: "dovecot.sieve";
  user: string;
  messageId: string | null;
  /** keep (implicit), fileinto, redirect, discard, vacation, reject, other (any `<name> action:` prefix is taken as is) */
  action: string;
  mailbox?: string;
  target?: string;
  ok: boolean;
  error?: string;
  /** The action text when it says more than the fields: `discarded duplicate vacation response …`, `left message in mailbox …`, a reject reason. */
  detail?: string;
};

export type DovecotLmtpConnection = DovecotBase & {
  kind: "dovecot.lmtp-connection";
  state: "connect" | "disconnect";
  peer: string;
  reason?: string;
};

/** mail_log plugin events in an IMAP/POP3 session: copy, save, expunge, delete, flag_change, … */
export type DovecotMailLog = DovecotBase & {
  kind: "dovecot.mail-log";
  user: string;
  event: string;
  /** The mailbox the event happened in (box=); absent when mail_log_fields leaves out box (the default). */
  mailbox?: string;
  /** For copy: the mailbox it was copied from. */
  fromMailbox?: string;
  uid?: number;
  messageId: string | null;
  size?: number;
  vsize?: number;
  /** flags=(…) without the parentheses. */
  flags?: string;
  from?: string;
  subject?: string;
};

export type DovecotLogin = DovecotBase & {
  kind: "dovecot.login";
  /** login, auth-failed, no-auth, aborted, refused (connection limit), disconnected */
  result: string;
  login?: string;
  method?: string;
  remoteIp?: string;
  localIp?: string;
  mpid?: number;
  /** What the line says between the fields: TLS, secured, `TLS handshaking: SSL_accept() failed: …`, cipher. */
  secured?: string;
  /** The text before the fields, e.g. `Disconnected (auth failed, 1 attempts in 2 secs)`; absent for result login. */
  reason?: string;
};

export type DovecotLogout = DovecotBase & {
  kind: "dovecot.logout";
  user: string;
  reason: string;
  counters: Record<string, string>;
};

export type DovecotAuth = DovecotBase & {
  kind: "dovecot.auth";
  /** unknown-user, password-mismatch, failed, policy-refusal, invalid-credentials */
  result: string;
  login?: string;
  remoteIp?: string;
  /** passdb/userdb driver: passwd-file, sql, ldap, pam, pam_unix, policy, … */
  driver?: string;
  /** SASL mechanism (Dovecot 2.4 `auth(user,ip,sasl:login)` prefix). */
  method?: string;
  detail: string;
};

/** Other recognised Dovecot lines: master start/stop, errors and warnings not tied to a message. */
export type DovecotNotice = DovecotBase & {
  kind: "dovecot.notice";
  level: "info" | "warning" | "error" | "fatal" | "panic" | "debug";
  text: string;
};

/** The dspam command dovecot-antispam ran: `/usr/bin/dspam --source=error --class=spam --signature=S … --user U `. */
export type AntispamCommand = {
  kind: "antispam.command";
  /** spam | innocent */
  dspamClass: string;
  signature: string;
  /** The --user value: the DSPAM user the retrain is aimed at; null when the command has no --user. */
  dspamUser: string | null;
  binary: string;
  args: string[];
};

export type AntispamCopy = {
  kind: "antispam.copy";
  srcSpam: boolean;
  dstSpam: boolean;
  srcUnsure: boolean;
};

/** Verbose debug `mail copy: from trash: 0, to trash: 0`; when either is true no retraining follows. */
export type AntispamTrashCheck = { kind: "antispam.trash-check"; fromTrash: boolean; toTrash: boolean };

/** Verbose debug `mailbox_is_spam(Junk): 1` (also _trash, _unsure). */
export type AntispamMailboxCheck = {
  kind: "antispam.mailbox-check";
  check: "spam" | "trash" | "unsure";
  mailbox: string;
  result: boolean;
};

export type AntispamError = { kind: "antispam.error"; text: string };

/** Plugin start-up lines. `setting` names the antispam_* setting the line reports (antispam_spam, antispam_dspam_args, …; "version" for `plugin initialising`). */
export type AntispamConfig = {
  kind: "antispam.config";
  text: string;
  setting?: string;
  value?: string;
  extraArg?: string;
};

/** Which Rspamd task (or controller/milter session) a line belongs to: its lines share the id. */
export type RspamdTask = {
  /** `<a385af>`: null when the line has none. */
  taskId: string | null;
  /** Worker type: normal, controller, rspamd_proxy…; null when not written (syslog without it). */
  worker: string | null;
  /** Log module: task, stat_redis, csession, proxy, milter…; null when not written. */
  module: string | null;
};

/** An Rspamd line Spamtrail reads (lib/filters/rspamd/index.ts: scan, loaded message, Bayes, milter, learns). */
export type RspamdLogEvent = WithTask<Exclude<RspamdEvent, { kind: "unparsed" } | { kind: "other" }>>;
type WithTask<T> = T extends { kind: string } ? T & { task: RspamdTask } : never;

/**
 * One line of `rspamc learn_spam|learn_ham` output that a retraining script (Dovecot IMAPSieve)
 * logged, with the login=/user=/rc= words the script put before it (lib/filters/rspamd/learn-script.ts).
 */
export type RspamcOutput = { kind: "rspamc.output"; line: LearnScriptLine };

/** A line of a program Spamtrail does not follow (amavis, opendkim, …): counted and kept. */
export type OtherProgram = { kind: "other" };

/** A line of a followed program whose shape no parser knows. */
export type Unparsed = { kind: "unparsed"; reason: string };

export type LogEvent =
  | SmtpdConnect
  | SmtpdDisconnect
  | SmtpdClient
  | PostfixAction
  | SaslFailure
  | ConnectionProblem
  | CleanupMessageId
  | QmgrFrom
  | QueueRemoved
  | QueueExpired
  | Pickup
  | Delivery
  | BounceNotification
  | Postsuper
  | Postscreen
  | PostfixNotice
  | DspamRecord
  | DspamOpenFailed
  | DspamSignatureFailed
  | DspamNoValidSignature
  | DspamProcessError
  | DspamAgentExit
  | DspamDaemon
  | DspamError
  | DspamSource
  | DspamSummary
  | DovecotSaved
  | DovecotSieve
  | DovecotLmtpConnection
  | DovecotMailLog
  | DovecotLogin
  | DovecotLogout
  | DovecotAuth
  | DovecotNotice
  | AntispamCommand
  | AntispamCopy
  | AntispamTrashCheck
  | AntispamMailboxCheck
  | AntispamError
  | AntispamConfig
  | RspamdLogEvent
  | RspamcOutput
  | OtherProgram
  | Unparsed;

export type EventKind = LogEvent["kind"];

export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}
