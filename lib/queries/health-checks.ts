import type { PrismaClient } from "../../generated/prisma/client.ts";
import { getPrisma } from "../db/prisma.ts";
import type { FindingKind } from "../detect/types.ts";
import { filtersLabel, filtersUserWord } from "../filters/registry.ts";
import { getFindingUsers } from "./finding-users.ts";
import type { MessageFilters } from "./message-filters.ts";
import { countMessages } from "./messages.ts";
import type { Overview, TimeRange } from "./stats.ts";
import type { TrainingFilter } from "./trainings.ts";

// "Does my antispam really work?" as a handful of yes/no questions, each answered from counts of
// messages, retrainings or users, and each linking to exactly the rows it counted.

export type CheckState = "ok" | "warn" | "bad" | "idle";

/** Where a check's number comes from: the list its link opens shows exactly that many rows. */
export type HealthLink =
  | { kind: "messages"; filters: Omit<MessageFilters, "since" | "until"> }
  | { kind: "trainings"; outcome: TrainingFilter }
  | { kind: "users"; findings: FindingKind[] }
  | { kind: "findings"; kinds: FindingKind[] };

export type HealthCheck = {
  key: string;
  question: string;
  state: CheckState;
  answer: string;
  link: HealthLink | null;
};

/** Messages DSPAM should not have judged: mail of logged-in users, of the server itself, to the outside. */
export const SCOPE_KINDS: FindingKind[] = [
  "verdict-on-authenticated",
  "verdict-on-outgoing",
  "verdict-on-local",
];
/** DSPAM users nobody can retrain: aliases and forward targets mail was judged under, stray dictionaries. */
export const UNTRAINABLE_KINDS: FindingKind[] = ["classified-under-alias", "dspam-user-sprawl"];

/** The numbers the checks answer with, beside the overview's; each one counted as its link lists it. */
export type HealthFacts = {
  overview: Overview;
  duplicateMessages: number;
  scopeMessages: number;
  /** Messages judged under an alias or a forward target. */
  aliasMessages: number;
  untrainableUsers: number;
  /** Messages of the port-25 login finding (logins accepted where the filter is). */
  port25Logins: number;
  /** Messages of the filter-problem finding (the filter unreachable, inbound mail it missed). */
  filterProblemMessages: number;
};

/** Counts the checks' facts for a range (the overview is read by the caller, with its cache). */
export async function getHealthFacts(
  overview: Overview,
  range: TimeRange,
  prisma: PrismaClient = getPrisma(),
): Promise<HealthFacts> {
  const messages = (findings: FindingKind[]) => countMessages({ findings, ...range }, prisma);
  const [duplicateMessages, scopeMessages, aliasMessages, users, port25Logins, filterProblemMessages] =
    await Promise.all([
      messages(["duplicate-delivery"]),
      messages(SCOPE_KINDS),
      messages(["classified-under-alias"]),
      getFindingUsers(UNTRAINABLE_KINDS, range, prisma),
      messages(["auth-on-port-25"]),
      messages(["filter-problem"]),
    ]);
  return {
    overview,
    duplicateMessages,
    scopeMessages,
    aliasMessages,
    untrainableUsers: users.length,
    port25Logins,
    filterProblemMessages,
  };
}

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const pct = (part: number, whole: number) => (whole === 0 ? "0%" : `${Math.round((part / whole) * 100)}%`);

/** The overview's health checks, in the order of the pipeline. Pure. */
export function assessHealth(facts: HealthFacts): HealthCheck[] {
  const { overview } = facts;
  // "DSPAM", "Rspamd", "DSPAM and Rspamd": the filters the database holds, and their users' word.
  const f = filtersLabel(overview.filters);
  const fu = filtersUserWord(overview.filters);
  const check = (key: string, state: CheckState, answer: string, link: HealthLink | null) =>
    checkOf(key, questions(f)[key] ?? key, state, answer, link);
  const inbound = overview.byOrigin.inbound;
  const t = overview.trainings;
  return [
    inbound === 0
      ? check("filtered", "idle", "No mail from the Internet in this range.", null)
      : overview.bypassed > 0
        ? check(
            "filtered",
            "warn",
            `${plural(overview.bypassed, "inbound message")} reached recipients without passing ${f} (${pct(overview.bypassed, inbound)} of inbound).`,
            { kind: "messages", filters: { state: "bypassed" } },
          )
        : check(
            "filtered",
            "ok",
            `Yes: all ${plural(inbound, "inbound message")} went through the content filter.`,
            { kind: "messages", filters: { origin: "inbound" } },
          ),
    overview.deferredToFilter > 0
      ? check(
          "reachable",
          "bad",
          `No: ${plural(overview.deferredToFilter, "message")} had to wait for the content filter.`,
          { kind: "messages", filters: { state: "waited-for-filter" } },
        )
      : facts.filterProblemMessages > 0
        ? check(
            "reachable",
            "bad",
            `Not always: ${plural(facts.filterProblemMessages, "message")} show a problem of the content filter.`,
            { kind: "messages", filters: { findings: ["filter-problem"] } },
          )
        : check(
            "reachable",
            inbound + overview.filtered > 0 ? "ok" : "idle",
            "Yes: no hand-off to the filter was deferred.",
            null,
          ),
    facts.duplicateMessages > 0
      ? check(
          "duplicates",
          "bad",
          `No: ${plural(facts.duplicateMessages, "message")} reached the same address more than once (aliases expanded before and after ${f}).`,
          { kind: "messages", filters: { findings: ["duplicate-delivery"] } },
        )
      : check("duplicates", "ok", "Yes: no duplicate deliveries.", null),
    t.attempts === 0
      ? check("training", "idle", "Nobody retrained anything in this range.", null)
      : t.misdirected > 0
        ? check(
            "training",
            "bad",
            `No: ${plural(t.misdirected, "retraining")} went to the wrong ${fu} and changed nothing, while the mail client showed each move as done (${t.failed.toLocaleString("en-US")} of ${t.attempts.toLocaleString("en-US")} failed).`,
            { kind: "trainings", outcome: "misdirected" },
          )
        : t.failed > 0
          ? check(
              "training",
              "warn",
              `No: ${t.failed.toLocaleString("en-US")} of ${plural(t.attempts, "retraining")} failed, while the mail client showed each move as done.`,
              { kind: "trainings", outcome: "failed" },
            )
          : check("training", "ok", `Yes: all ${plural(t.attempts, "retraining")} applied.`, {
              kind: "trainings",
              outcome: "all",
            }),
    facts.scopeMessages > 0
      ? check(
          "scope",
          "warn",
          `No: ${plural(facts.scopeMessages, "message")} from logged-in users, the server itself or to the outside went through ${f}.`,
          { kind: "messages", filters: { findings: SCOPE_KINDS } },
        )
      : facts.port25Logins > 0
        ? check(
            "scope",
            "warn",
            `So far: ${plural(facts.port25Logins, "message")} came from users logged in on port 25, where the filter is.`,
            { kind: "messages", filters: { findings: ["auth-on-port-25"] } },
          )
        : check("scope", "ok", "Yes: no authenticated, local or outgoing mail was filtered.", null),
    facts.untrainableUsers > 0
      ? check(
          "dictionaries",
          facts.aliasMessages > 0 ? "bad" : "warn",
          `Not only: ${plural(facts.untrainableUsers, fu)} that nobody can retrain (aliases, addresses elsewhere, bare logins).`,
          { kind: "users", findings: UNTRAINABLE_KINDS },
        )
      : check("dictionaries", "ok", `Yes: every ${fu} is a mailbox.`, null),
  ];
}

const questions = (f: string): Record<string, string> => ({
  filtered: "Is inbound mail filtered?",
  reachable: "Is the filter reachable?",
  duplicates: "Does every recipient get one copy?",
  training: `Does retraining reach ${f}?`,
  scope: `Does ${f} judge only mail from strangers?`,
  dictionaries: `Does ${f} learn per person?`,
});

function checkOf(
  key: string,
  question: string,
  state: CheckState,
  answer: string,
  link: HealthLink | null,
): HealthCheck {
  return { key, question, state, answer, link };
}
