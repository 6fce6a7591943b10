import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { ResolvedTraining } from "./resolve.ts";
import { withStoredHalf } from "./training-halves.ts";

// The lab's failed retrain of signature 6b026104291109951226246: dovecot-antispam's command at
// 03:27:40 (syslog), DSPAM's "Signature retrieval ... failed" in the maillog.
const T0 = Date.UTC(2026, 10, 22, 3, 27, 40);
const command: ResolvedTraining = {
  key: `6b026104291109951226246/${T0 / 1000}/bob`,
  ts: T0,
  host: "mail",
  login: "bob",
  filter: "dspam",
  filterUser: "bob",
  classifiedUser: "bob@example.com",
  signature: "6b026104291109951226246",
  messageId: null,
  direction: "spam",
  outcome: "unknown",
  reason: null,
  fromMailbox: "INBOX",
  toMailbox: "Junk",
  lines: [37],
  journeyKey: "mail/4F2A1C0B1D/1795318020",
};
const answer: ResolvedTraining = {
  ...command,
  key: `6b026104291109951226246/${T0 / 1000 + 1}/bob`,
  ts: T0 + 1000,
  login: null,
  // Without the command the class is guessed.
  direction: "innocent",
  outcome: "failed",
  reason: "Signature retrieval for '6b026104291109951226246' failed",
  fromMailbox: null,
  toMailbox: null,
  lines: [1363, 1364],
};
const joined = (key: string, ts: number): ResolvedTraining => ({
  ...command,
  key,
  ts,
  outcome: "failed",
  reason: answer.reason,
  lines: [37, 1363, 1364],
});

const CASES: {
  name: string;
  training: ResolvedTraining;
  stored: ResolvedTraining[];
  expected: { training: ResolvedTraining; replaces?: string };
}[] = [
  {
    name: "DSPAM's answer stored, the command read later: one training with the command's key, class, login and folders, in the answer's place",
    training: command,
    stored: [answer],
    expected: { training: joined(command.key, command.ts), replaces: answer.key },
  },
  {
    name: "the command stored without outcome, DSPAM's answer read later: the stored training gets the outcome and the answer's lines",
    training: answer,
    stored: [command],
    expected: { training: joined(command.key, command.ts) },
  },
  {
    name: "an answer more than the correlator's window after the command is another retraining",
    training: { ...answer, ts: T0 + 31_000 },
    stored: [command],
    expected: { training: { ...answer, ts: T0 + 31_000 } },
  },
  {
    name: "DSPAM's applied retrain (its M/F record) joins within the longer grace the correlator gives it",
    training: { ...answer, ts: T0 + 90_000, outcome: "applied", reason: null },
    stored: [command],
    expected: { training: { ...joined(command.key, command.ts), outcome: "applied", reason: null } },
  },
  {
    name: "another DSPAM user's retraining of the same message stays apart",
    training: { ...answer, filterUser: "alice@example.com" },
    stored: [command],
    expected: { training: { ...answer, filterUser: "alice@example.com" } },
  },
  {
    name: "two commands without outcome are two retrainings (a message moved to Junk and back)",
    training: {
      ...command,
      key: `${command.signature}/${T0 / 1000 + 2}/bob`,
      ts: T0 + 2000,
      direction: "innocent",
    },
    stored: [command],
    expected: {
      training: {
        ...command,
        key: `${command.signature}/${T0 / 1000 + 2}/bob`,
        ts: T0 + 2000,
        direction: "innocent",
      },
    },
  },
  {
    name: "a training written again with its outcome replaces its own row (same key), nothing is joined",
    training: { ...command, outcome: "failed", reason: answer.reason, lines: [37, 1363] },
    stored: [{ ...command, outcome: "failed", reason: answer.reason, lines: [37] }],
    expected: { training: { ...command, outcome: "failed", reason: answer.reason, lines: [37, 1363] } },
  },
  {
    name: "Rspamd's learns name no signature halves: unchanged",
    training: { ...command, filter: "rspamd" },
    stored: [{ ...answer, filter: "rspamd" }],
    expected: { training: { ...command, filter: "rspamd" } },
  },
];

describe("a retraining's two halves read in different runs are stored as one, keyed as one run keys it", () => {
  for (const c of CASES) {
    test(c.name, () => {
      assert.deepEqual(withStoredHalf(c.training, c.stored), c.expected);
    });
  }
});
