// dovecot-antispam's dspam command and DSPAM's answer to it are one retraining. Read in one run,
// the correlator joins them (lib/correlate/trainings.ts); read in different runs (the IMAP server's
// log one day, the maillog the next), each was stored as a training of its own: the run that reads
// the second half completes the stored first half instead of adding a second training.
import { DEFAULTS } from "./context.ts";
import type { ResolvedTraining } from "./resolve.ts";

// The windows in which the correlator lets a command claim DSPAM's answer.
const windowFor = (answer: ResolvedTraining) =>
  answer.outcome === "applied" ? DEFAULTS.trainingGraceMs : DEFAULTS.trainingWindowMs;

const sameUser = (a: string | null, b: string | null) => !a || !b || a.toLowerCase() === b.toLowerCase();

/**
 * The training as it is to be stored, given the stored trainings of its signature: when one of them
 * is its other half (one holds the command and no outcome yet, the other DSPAM's outcome), the two
 * joined under the command's key, as one run keys it (`replaces`: the stored answer's key, when that
 * row is to go); else the training unchanged.
 */
export function withStoredHalf(
  training: ResolvedTraining,
  stored: readonly ResolvedTraining[],
): { training: ResolvedTraining; replaces?: string } {
  if (training.filter !== "dspam" || !training.signature) return { training };
  const half = stored.find((s) => {
    if (s.filter !== "dspam" || s.signature !== training.signature) return false;
    if ((s.outcome === "unknown") === (training.outcome === "unknown")) return false;
    const answer = s.outcome === "unknown" ? training : s;
    return Math.abs(s.ts - training.ts) <= windowFor(answer) && sameUser(s.filterUser, training.filterUser);
  });
  if (!half) return { training };
  const [command, answer] = training.outcome === "unknown" ? [training, half] : [half, training];
  const joined: ResolvedTraining = {
    ...command,
    host: command.host ?? answer.host,
    login: command.login ?? answer.login,
    filterUser: command.filterUser ?? answer.filterUser,
    classifiedUser: training.classifiedUser ?? half.classifiedUser,
    messageId: training.messageId ?? half.messageId,
    fromMailbox: command.fromMailbox ?? answer.fromMailbox,
    toMailbox: command.toMailbox ?? answer.toMailbox,
    outcome: answer.outcome,
    reason: answer.reason,
    journeyKey: training.journeyKey ?? half.journeyKey,
    lines: [...new Set([...half.lines, ...training.lines])].sort((a, b) => a - b),
  };
  // The stored row is completed, or replaced by the joined training: never kept beside it.
  return half.key === joined.key ? { training: joined } : { training: joined, replaces: half.key };
}
