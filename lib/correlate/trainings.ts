// Retraining: the IMAP move (Dovecot mail_log), the dspam command dovecot-antispam ran, and DSPAM's
// answer — an M/F record when it applied it, or the "signature not found" lines when it did not —
// become one training attempt. Any of the three may be missing from the logs one has.
import type {
  AntispamCommand,
  AntispamConfig,
  DovecotMailLog,
  DspamNoValidSignature,
  DspamOpenFailed,
  DspamProcessError,
  DspamRecord,
  DspamSignatureFailed,
} from "../core/events.ts";
import type { TrainingDirection } from "../core/journey.ts";
import { type Context, DEFAULTS } from "./context.ts";
import type { CorrelatorEvent, FailureState, ImapMoveState, TrainingState } from "./state.ts";

// A retrain record or failure with no dspam command of its own is a training by itself once this long has passed.
const STANDALONE_AFTER_MS = 10_000;
const MOVE_WINDOW_MS = 5_000;
const TRASH = /^(?:INBOX[./])?(?:trash|deleted(?: items| messages)?)$/i;
const SPAMMY = /^(?:INBOX[./])?(?:junk|spam|junk e-?mail|bulk(?: mail)?)$/i;

type Failure = DspamOpenFailed | DspamSignatureFailed | DspamNoValidSignature | DspamProcessError;

function trainingKey(signature: string | null, ts: number, dspamUser: string | null): string {
  return `${signature ?? "-"}/${Math.floor(ts / 1000)}/${dspamUser ?? "-"}`;
}

function newTraining(
  seed: Pick<TrainingState, "ts" | "host" | "signature" | "dspamUser" | "direction"> & { lines: number[] },
): TrainingState {
  return {
    key: trainingKey(seed.signature, seed.ts, seed.dspamUser),
    login: null,
    messageId: null,
    outcome: "unknown",
    reason: null,
    fromMailbox: null,
    toMailbox: null,
    commanded: false,
    dirty: true,
    ...seed,
  };
}

export function onAntispamCommand(ctx: Context, e: CorrelatorEvent, event: AntispamCommand): void {
  const direction: TrainingDirection = event.dspamClass === "innocent" ? "innocent" : "spam";
  // DSPAM's answer may have been made a training of its own before this line was read (another
  // file, a later run, follow reading the maillog before the syslog): the command completes it
  // rather than starting a second one, and its class wins over a direction guessed without it.
  const answers = ctx.trainings.filter(
    (t) => !t.commanded && t.signature === event.signature && near(t.ts, e.ts, DEFAULTS.trainingWindowMs),
  );
  const answered = answers.find((t) => t.direction === direction) ?? answers[0];
  if (answered) {
    answered.commanded = true;
    answered.direction = direction;
    // The command runs where the user moved the message (an IMAP host); DSPAM may answer on another.
    answered.host = e.host;
    answered.dspamUser = event.dspamUser ?? answered.dspamUser;
    answered.lines.push(e.lineId);
    answered.dirty = true;
    settle(ctx, answered);
    return;
  }
  const training = newTraining({
    ts: e.ts,
    host: e.host,
    signature: event.signature,
    dspamUser: event.dspamUser,
    direction,
    lines: [e.lineId],
  });
  training.commanded = true;
  ctx.trainings.push(training);
  settle(ctx, training);
}

export function onAntispamConfig(ctx: Context, event: AntispamConfig): void {
  // `"Junk" is exact match spam folder`
  const folder = /^"(.+)" is (?:exact|wildcard|exact case-insensitive) match spam folder$/.exec(event.text);
  if (folder?.[1]) ctx.spamFolders.add(folder[1]);
}

export function onMailLog(ctx: Context, e: CorrelatorEvent, event: DovecotMailLog): void {
  if (event.event === "expunge") {
    // The expunge after a copy is the second half of an IMAP MOVE: kept with it for the drill-down.
    const move = ctx.moves.findLast(
      (m) =>
        m.session === (event.session ?? null) && m.login === event.user && m.messageId === event.messageId,
    );
    if (move && e.ts - move.ts <= MOVE_WINDOW_MS) move.lines.push(e.lineId);
    return;
  }
  if (event.event !== "copy" && event.event !== "move" && event.event !== "save") return;
  const move: ImapMoveState = {
    ts: e.ts,
    host: e.host,
    login: event.user,
    session: event.session ?? null,
    fromMailbox: event.fromMailbox ?? null,
    toMailbox: event.mailbox ?? null,
    messageId: event.messageId,
    lines: [e.lineId],
    claimed: false,
  };
  ctx.moves.push(move);
  for (const training of ctx.trainings) if (!training.login) settle(ctx, training);
}

export function onDspamFailure(ctx: Context, e: CorrelatorEvent, event: Failure): void {
  let group = ctx.failures.findLast((f) => f.host === e.host && f.pid === e.pid && !f.done);
  // One failed retrain logs each of its lines once: a line of a kind the group already has, or a
  // few seconds of silence, starts the next failure (a DSPAM daemon answers many retrains).
  if (!group || group.kinds.includes(event.kind) || e.ts - group.ts > MOVE_WINDOW_MS) {
    group = {
      ts: e.ts,
      host: e.host,
      pid: e.pid,
      signature: null,
      dspamUser: null,
      reasons: [],
      kinds: [],
      lines: [],
      done: false,
      claimed: false,
    };
    ctx.failures.push(group);
  }
  group.lines.push(e.lineId);
  group.kinds.push(event.kind);
  const reasons = group.reasons.length;
  switch (event.kind) {
    case "dspam.open-failed":
      group.signature ??= event.signature ?? null;
      group.dspamUser ??= event.dspamUser ?? null;
      group.reasons.push(`Unable to open file for reading: ${event.path}: ${event.reason}`);
      break;
    case "dspam.signature-failed":
      group.signature ??= event.signature;
      group.reasons.push(`Signature retrieval for '${event.signature}' failed`);
      break;
    case "dspam.no-valid-signature":
      group.reasons.push("Unable to find a valid signature. Aborting.");
      break;
    case "dspam.process-error":
      group.reasons.push(
        `process_message returned error ${event.code}.  ${event.action === "dropping" ? "dropping message" : "delivering"}.`,
      );
      group.done = true;
      break;
  }
  // DSPAM logs a failure over several lines: a training that claimed its first ones gets the rest.
  const claimer = group.claimed ? ctx.trainings.find((t) => t.key === group.claimedBy) : undefined;
  if (claimer) {
    claimer.lines.push(e.lineId);
    if (group.reasons.length > reasons) claimer.reason = group.reasons.join(" ");
    claimer.dirty = true;
  }
  for (const training of ctx.trainings) if (training.outcome === "unknown") settle(ctx, training);
}

export function onRetrainRecord(ctx: Context, e: CorrelatorEvent, event: DspamRecord): void {
  ctx.retrains.push({
    ts: e.ts,
    signature: event.signature,
    dspamUser: event.dspamUser,
    direction: event.dspamClass === "F" ? "innocent" : "spam",
    lineId: e.lineId,
    claimed: false,
  });
  for (const training of ctx.trainings) if (training.outcome === "unknown") settle(ctx, training);
}

const near = (a: number, b: number, window: number) => Math.abs(a - b) <= window;
const sameUser = (login: string, dspamUser: string) => {
  const l = login.toLowerCase();
  const u = dspamUser.toLowerCase();
  return l === u || u.startsWith(`${l}@`) || l.startsWith(`${u}@`) || l.split("@")[0] === u.split("@")[0];
};

function isSpamFolder(ctx: Context, folder: string | null): boolean {
  if (!folder) return false;
  return ctx.spamFolders.size > 0 ? ctx.spamFolders.has(folder) : SPAMMY.test(folder);
}

// The move that caused a retrain: close in time, in the right direction, by the same person.
function fitsMove(ctx: Context, training: TrainingState, move: ImapMoveState): boolean {
  if (move.claimed || !near(move.ts, training.ts, MOVE_WINDOW_MS)) return false;
  // A training known only from DSPAM's answer carries DSPAM's host, maybe not the IMAP host.
  if (training.commanded && training.host && move.host && training.host !== move.host) return false;
  if (TRASH.test(move.toMailbox ?? "")) return false;
  const intoSpam = isSpamFolder(ctx, move.toMailbox);
  if (training.direction === "spam" ? !intoSpam && move.toMailbox !== null : intoSpam) return false;
  return training.dspamUser === null || sameUser(move.login, training.dspamUser);
}

/** Joins what is known about one training: the IMAP move, and DSPAM's outcome; `claim` marks them used. */
function settle(ctx: Context, training: TrainingState, claim = true): void {
  if (!training.login) {
    const move = ctx.moves
      .filter((m) => fitsMove(ctx, training, m))
      .sort((a, b) => Math.abs(a.ts - training.ts) - Math.abs(b.ts - training.ts))[0];
    if (move) {
      move.claimed = claim;
      training.login = move.login;
      training.fromMailbox = move.fromMailbox;
      training.toMailbox = move.toMailbox;
      training.messageId = move.messageId;
      training.lines.push(...move.lines);
      training.dirty = true;
    }
  }
  if (training.outcome !== "unknown" || !training.signature) return;
  const failure = ctx.failures.find(
    (f) =>
      !f.claimed && f.signature === training.signature && near(f.ts, training.ts, DEFAULTS.trainingWindowMs),
  );
  if (failure) {
    failure.claimed = claim;
    if (claim) failure.claimedBy = training.key;
    training.outcome = "failed";
    training.reason = failure.reasons.join(" ");
    training.dspamUser ??= failure.dspamUser;
    training.lines.push(...failure.lines);
    training.dirty = true;
    return;
  }
  const retrain = ctx.retrains.find(
    (r) =>
      !r.claimed && r.signature === training.signature && near(r.ts, training.ts, DEFAULTS.trainingGraceMs),
  );
  if (retrain) {
    retrain.claimed = claim;
    training.outcome = "applied";
    training.dspamUser ??= retrain.dspamUser;
    training.lines.push(retrain.lineId);
    training.dirty = true;
  }
}

/**
 * Trainings made of DSPAM's answers that no dspam command claimed (dovecot-antispam's debug log is
 * off), for those logged before `limit`. With `claim` they become trainings of their own; without,
 * they are only a preview of what they will be (nothing is marked used).
 */
function standaloneTrainings(ctx: Context, limit: number, claim: boolean): TrainingState[] {
  const made: TrainingState[] = [];
  for (const retrain of ctx.retrains) {
    if (retrain.claimed || retrain.ts > limit) continue;
    retrain.claimed = claim;
    const training = newTraining({
      ts: retrain.ts,
      host: null,
      signature: retrain.signature,
      dspamUser: retrain.dspamUser,
      direction: retrain.direction,
      lines: [retrain.lineId],
    });
    training.outcome = "applied";
    settle(ctx, training, claim);
    made.push(training);
  }
  for (const failure of ctx.failures) {
    if (failure.claimed || failure.ts > limit || !failure.signature) continue;
    failure.claimed = claim;
    const training = newTraining({
      ts: failure.ts,
      host: failure.host,
      signature: failure.signature,
      dspamUser: failure.dspamUser,
      direction: guessDirection(ctx, failure),
      lines: [...failure.lines],
    });
    training.outcome = "failed";
    training.reason = failure.reasons.join(" ");
    if (claim) failure.claimedBy = training.key;
    settle(ctx, training, claim);
    made.push(training);
  }
  return made;
}

// Without the dspam command line the class is not logged; the IMAP move, if any, tells it — a move
// of the same person only (another user's move a second earlier says nothing about this one).
function guessDirection(ctx: Context, failure: FailureState): TrainingDirection {
  const move = ctx.moves.find(
    (m) =>
      !m.claimed &&
      near(m.ts, failure.ts, MOVE_WINDOW_MS) &&
      (failure.dspamUser === null || sameUser(m.login, failure.dspamUser)),
  );
  return move && isSpamFolder(ctx, move.fromMailbox) ? "innocent" : "spam";
}

function emit(ctx: Context, training: TrainingState): void {
  const { dirty: _dirty, commanded: _commanded, dspamUser, ...record } = training;
  ctx.out.push({
    type: "training",
    training: {
      ...record,
      filter: "dspam",
      filterUser: dspamUser,
      classifiedUser: null,
      lines: [...record.lines],
    },
  });
}

/** Hands out trainings that are final (and, when asked, the open ones that changed), and forgets old evidence. */
export function drainTrainings(ctx: Context, provisional: boolean): void {
  ctx.trainings.push(...standaloneTrainings(ctx, ctx.clock - STANDALONE_AFTER_MS, true));
  const finalBefore = ctx.clock - DEFAULTS.trainingGraceMs;
  const keep: TrainingState[] = [];
  for (const training of ctx.trainings) {
    const final = training.ts < finalBefore;
    if (final || (provisional && training.dirty)) {
      emit(ctx, training);
      training.dirty = false;
    }
    if (!final) keep.push(training);
  }
  ctx.trainings = keep;
  // What DSPAM answered in the last seconds may still be claimed by a dspam command logged later:
  // shown as it stands, under the key it will most likely keep.
  if (provisional)
    for (const preview of standaloneTrainings(ctx, Number.POSITIVE_INFINITY, false)) emit(ctx, preview);
  const forgetBefore = ctx.clock - DEFAULTS.trainingGraceMs * 2;
  ctx.moves = ctx.moves.filter((m) => m.ts >= forgetBefore);
  ctx.failures = ctx.failures.filter((f) => f.ts >= forgetBefore);
  ctx.retrains = ctx.retrains.filter((r) => r.ts >= forgetBefore);
}
