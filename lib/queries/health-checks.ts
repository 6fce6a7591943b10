import type { FindingKind } from "../detect/types.ts";
import type { FindingSummary } from "./finding-list.ts";
import type { Overview } from "./stats.ts";

// "Does my antispam really work?" as a handful of yes/no questions, each answered from the
// overview numbers and the open findings, each pointing at its evidence. Pure.

export type CheckState = "ok" | "warn" | "bad" | "idle";

export type HealthCheck = {
  key: string;
  question: string;
  state: CheckState;
  answer: string;
  /** Where the evidence is: a finding, a list of findings, or a message search. */
  link:
    | { kind: "finding"; id: number }
    | { kind: "findings"; findingKind: FindingKind }
    | { kind: "messages"; query: Record<string, string> }
    | null;
};

const plural = (n: number, one: string, many = `${one}s`) =>
  `${n.toLocaleString("en-US")} ${n === 1 ? one : many}`;
const pct = (part: number, whole: number) => (whole === 0 ? "0%" : `${Math.round((part / whole) * 100)}%`);

function linkTo(findings: FindingSummary[], kind: FindingKind): HealthCheck["link"] {
  const of = findings.filter((f) => f.kind === kind);
  if (of.length === 1 && of[0]) return { kind: "finding", id: of[0].id };
  return of.length > 1 ? { kind: "findings", findingKind: kind } : null;
}

function count(findings: FindingSummary[], kinds: FindingKind[]) {
  const of = findings.filter((f) => kinds.includes(f.kind));
  return { findings: of.length, evidence: of.reduce((sum, f) => sum + f.count, 0), first: of[0] };
}

/** The overview's health checks, worst problems first within the fixed order of the pipeline. */
export function assessHealth(overview: Overview, open: FindingSummary[]): HealthCheck[] {
  const inbound = overview.byOrigin.inbound;
  const checks: HealthCheck[] = [];

  checks.push(
    inbound === 0
      ? {
          key: "filtered",
          question: "Is inbound mail filtered?",
          state: "idle",
          answer: "No mail from the Internet in this range.",
          link: null,
        }
      : overview.bypassed > 0
        ? {
            key: "filtered",
            question: "Is inbound mail filtered?",
            state: "warn",
            answer: `${plural(overview.bypassed, "inbound message")} reached recipients without passing DSPAM (${pct(overview.bypassed, inbound)} of inbound).`,
            link: { kind: "messages", query: { origin: "inbound", verdict: "none" } },
          }
        : {
            key: "filtered",
            question: "Is inbound mail filtered?",
            state: "ok",
            answer: `Yes: all ${plural(inbound, "inbound message")} went through the content filter.`,
            link: { kind: "messages", query: { origin: "inbound" } },
          },
  );

  const unavailable = count(open, ["filter-problem"]);
  checks.push(
    overview.deferredToFilter > 0 || unavailable.findings > 0
      ? {
          key: "reachable",
          question: "Is the filter reachable?",
          state: "bad",
          answer: `${plural(overview.deferredToFilter, "message")} waited for the content filter${unavailable.findings ? `; ${plural(unavailable.findings, "filter problem")} open` : ""}.`,
          link: linkTo(open, "filter-problem"),
        }
      : {
          key: "reachable",
          question: "Is the filter reachable?",
          state: inbound + overview.filtered > 0 ? "ok" : "idle",
          answer: "Yes: no hand-off to the filter was deferred.",
          link: null,
        },
  );

  const dup = count(open, ["duplicate-delivery"]);
  checks.push(
    dup.findings > 0
      ? {
          key: "duplicates",
          question: "Does every recipient get one copy?",
          state: "bad",
          answer: `No: ${plural(dup.findings, "recipient")} received ${plural(dup.evidence, "message")} more than once (aliases expanded before and after DSPAM).`,
          link: linkTo(open, "duplicate-delivery"),
        }
      : {
          key: "duplicates",
          question: "Does every recipient get one copy?",
          state: "ok",
          answer: "Yes: no duplicate deliveries.",
          link: null,
        },
  );

  const t = overview.trainings;
  const misdirected = count(open, ["training-misdirected"]);
  checks.push(
    t.attempts === 0
      ? {
          key: "training",
          question: "Does retraining reach DSPAM?",
          state: "idle",
          answer: "Nobody retrained anything in this range.",
          link: null,
        }
      : t.misdirected > 0 || t.failed > 0
        ? {
            key: "training",
            question: "Does retraining reach DSPAM?",
            state: t.misdirected > 0 ? "bad" : "warn",
            answer: `No: ${t.applied.toLocaleString("en-US")} of ${plural(t.attempts, "retraining")} applied, ${t.failed.toLocaleString("en-US")} failed${t.misdirected ? ` (${t.misdirected.toLocaleString("en-US")} sent to the wrong DSPAM user)` : ""}, while the mail client showed each move as done.`,
            link: misdirected.findings
              ? linkTo(open, "training-misdirected")
              : linkTo(open, "training-failed"),
          }
        : {
            key: "training",
            question: "Does retraining reach DSPAM?",
            state: "ok",
            answer: `Yes: all ${plural(t.attempts, "retraining")} applied.`,
            link: null,
          },
  );

  const wrongMail = count(open, [
    "verdict-on-authenticated",
    "verdict-on-outgoing",
    "verdict-on-local",
    "auth-on-port-25",
  ]);
  const firstKind = wrongMail.first?.kind;
  checks.push(
    wrongMail.findings > 0 && firstKind
      ? {
          key: "scope",
          question: "Does DSPAM judge only mail from strangers?",
          state: "warn",
          answer: `No: ${plural(wrongMail.evidence, "message")} from logged-in users, the server itself or to the outside went through DSPAM (${plural(wrongMail.findings, "finding")}).`,
          link:
            wrongMail.findings === 1 && wrongMail.first
              ? { kind: "finding", id: wrongMail.first.id }
              : { kind: "findings", findingKind: firstKind },
        }
      : {
          key: "scope",
          question: "Does DSPAM judge only mail from strangers?",
          state: "ok",
          answer: "Yes: no authenticated, local or outgoing mail was filtered.",
          link: null,
        },
  );

  const dictionaries = count(open, ["classified-under-alias", "dspam-user-sprawl"]);
  const aliasKind = open.find((f) => f.kind === "classified-under-alias")
    ? "classified-under-alias"
    : "dspam-user-sprawl";
  checks.push(
    dictionaries.findings > 0
      ? {
          key: "dictionaries",
          question: "Does DSPAM learn per person?",
          state: open.some((f) => f.kind === "classified-under-alias") ? "bad" : "warn",
          answer: `Not only: ${plural(dictionaries.findings, "DSPAM user")} that nobody can retrain (aliases, external addresses, bare logins).`,
          link:
            dictionaries.findings === 1
              ? linkTo(open, aliasKind)
              : { kind: "findings", findingKind: aliasKind },
        }
      : {
          key: "dictionaries",
          question: "Does DSPAM learn per person?",
          state: "ok",
          answer: "Yes: every DSPAM user is a mailbox.",
          link: null,
        },
  );
  return checks;
}
