import { formatStamp } from "../core/display-zone.ts";
import type { FindingKind } from "../detect/types.ts";
import type { Audit } from "./run-audit.ts";
import { type AuditResult, result } from "./types.ts";

/** A finding as the evidence join needs it (from lib/queries). */
export type FindingSummary = {
  id: number;
  kind: FindingKind;
  subject: Record<string, string>;
  messageIds: string[];
  users: string[];
  count: number;
  lastSeen: Date;
};

// Findings whose cause is the configuration: when the logs show one and no check explains it, say so.
const CONFIG_CAUSED: FindingKind[] = [
  "duplicate-delivery",
  "classified-under-alias",
  "training-misdirected",
  "verdict-on-authenticated",
  "auth-on-port-25",
  "verdict-on-local",
  "verdict-on-outgoing",
];

const WORDS: Partial<Record<FindingKind, string>> = {
  "duplicate-delivery": "duplicate deliveries",
  "classified-under-alias": "mail judged under an alias or a forward address",
  "training-misdirected": "retraining sent to the wrong DSPAM user",
  "verdict-on-authenticated": "logged-in users' mail judged by DSPAM",
  "auth-on-port-25": "logins on port 25",
  "verdict-on-local": "mail made on the server judged by DSPAM",
  "verdict-on-outgoing": "outgoing mail judged by DSPAM",
};

/** Whether a finding is evidence of this result (same service, same route), not only of the same kind. */
function matches(audit: Audit, r: AuditResult, f: FindingSummary): boolean {
  const listener = audit.model.listeners.find((l) => l.service.key === r.service);
  switch (f.kind) {
    case "auth-on-port-25":
    case "verdict-on-authenticated":
      return !listener || !f.subject.service || f.subject.service === listener.syslogName;
    case "verdict-on-local":
      if (!listener) return true;
      return (f.subject.via === "sendmail") === (listener.role === "pickup");
    case "classified-under-alias":
      if (r.check === "forward-through-filter")
        return (r.value ?? "").toLowerCase().includes((f.subject.user ?? "").toLowerCase());
      return true;
    case "filter-problem":
      if (r.check === "filter-bypass") return f.subject.problem === "unfiltered-inbound";
      return f.subject.problem === "dspam-delivery-agent" || f.subject.problem === "filter-unavailable";
    default:
      return true;
  }
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Compares what the configuration predicts with what the logs show: each result is confirmed (its
 * symptom is in the database), or predicted; symptoms no result explains become unexplained-symptom results.
 */
export function joinEvidence(audit: Audit, findings: FindingSummary[]): AuditResult[] {
  const explained = new Set<number>();
  const joined = audit.results.map((r): AuditResult => {
    if (r.evidence.length === 0) return r;
    const evidence = r.evidence.map((ref) => {
      const hits = findings.filter((f) => f.kind === ref.kind && f.count > 0 && matches(audit, r, f));
      for (const f of hits) explained.add(f.id);
      return {
        kind: ref.kind,
        messages: new Set(hits.flatMap((f) => f.messageIds)).size,
        users: new Set(hits.flatMap((f) => f.users)).size,
        findingIds: hits.map((f) => f.id),
      };
    });
    const messages = Math.max(0, ...evidence.map((e) => e.messages));
    const confirmed = evidence.filter((e) => e.findingIds.length > 0);
    return {
      ...r,
      evidence,
      evidenceStatus: confirmed.length > 0 ? "confirmed" : "predicted",
      evidenceNote:
        confirmed.length > 0
          ? `Confirmed by the logs: ${confirmed.map((e) => `${e.kind} (${[e.messages ? plural(e.messages, "message") : "", e.users ? plural(e.users, "user") : ""].filter((t) => t !== "").join(", ")})`).join("; ")}.`
          : `Predicted: the logs show no ${r.evidence.map((e) => e.kind).join(" or ")} yet${messages ? "" : ""}.`,
    };
  });
  const unexplained = CONFIG_CAUSED.flatMap((kind) => {
    const left = findings.filter((f) => f.kind === kind && f.count > 0 && !explained.has(f.id));
    if (left.length === 0) return [];
    const messages = new Set(left.flatMap((f) => f.messageIds)).size;
    const last = new Date(Math.max(...left.map((f) => f.lastSeen.getTime())));
    const out = result({
      check: "unexplained-symptom",
      severity: "low",
      file: null,
      line: null,
      setting: null,
      value: null,
      problem: `The logs show ${WORDS[kind] ?? kind} (${plural(messages, "message")}, last on ${formatStamp(last, { seconds: false })}), but the configuration given does not explain it: was it changed since, or is part of it missing (master.cf, dspam.conf, Dovecot's configuration)?`,
      fix: `Audit the configuration the server had then (the Config page keeps its history), and look at the messages: spamtrail findings --kind ${kind}`,
      evidence: [kind],
    });
    return [
      {
        ...out,
        evidence: [
          {
            kind,
            messages,
            users: new Set(left.flatMap((f) => f.users)).size,
            findingIds: left.map((f) => f.id),
          },
        ],
        evidenceStatus: "unexplained" as const,
        evidenceNote: `Not explained by this configuration: ${plural(left.length, "finding")}, ${plural(messages, "message")}.`,
      },
    ];
  });
  return [...joined, ...unexplained];
}
