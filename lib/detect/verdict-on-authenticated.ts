import type { JourneyRecord } from "../core/journey.ts";
import { isSpamResult } from "../filters/results.ts";
import {
  explainRspamdScope,
  isRspamdFinding,
  judgedByRspamd,
  RSPAMD_SUBJECT,
} from "../filters/rspamd/findings.ts";
import { judgedCopies } from "./copies.ts";
import type { FindingDefinition, RelatedFinding } from "./definition.ts";
import { NO_LOGIN_ON_PORT_25 } from "./fixes.ts";
import type { Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { anyTrue, describeService, list, plural, sentence } from "./words.ts";

/** Mail sent with SASL authentication went through DSPAM: colleagues' mail judged like strangers'. */
export function detectVerdictOnAuthenticated(journey: JourneyRecord): Evidence[] {
  if (journey.origin !== "authenticated" || !journey.saslUsername) return [];
  const copies = judgedCopies(journey);
  if (copies.length === 0) return [];
  const spam = copies.some((c) => isSpamResult(c.result));
  const service = journey.service ?? "postfix";
  return [
    {
      kind: "verdict-on-authenticated",
      subject: { service, ...(judgedByRspamd(journey) ? RSPAMD_SUBJECT : {}) },
      severity: spam ? "high" : verdictOnAuthenticated.severity,
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: [lower(journey.saslUsername)],
      recipients: unique(copies.flatMap((c) => c.recipients)),
      detail: {
        service,
        from: lower(journey.saslUsername),
        client: journey.clientName ? `${journey.clientName}[${journey.clientIp ?? ""}]` : null,
        verdicts: unique(copies.map((c) => c.result)),
        fates: unique(copies.map((c) => c.fate)),
        taggedSpam: spam,
      },
      lineIds: copies.flatMap((c) => c.lineIds),
    },
  ];
}

/** True for the smtpd master.cf runs as `smtp inet` (syslog_name postfix): port 25. */
export const isPort25 = (service: string | undefined) => !service || service === "postfix";

export const verdictOnAuthenticated: FindingDefinition = {
  kind: "verdict-on-authenticated",
  title: "Logged-in users' mail filtered",
  severity: "medium",
  unit: "message",
  detect: { journey: detectVerdictOnAuthenticated },
  cause: (s) => describeService(s.service ?? ""),
  explain: (facts) => {
    if (isRspamdFinding(facts)) return explainRspamdScope(facts, "sent by logged-in users");
    const service = facts.subject.service ?? "postfix";
    return {
      summary: `${sentence(plural(facts.count, "message"))} sent by ${plural(facts.users.length, "logged-in user")} (${list(facts.users)}) on ${describeService(service)} went through DSPAM${anyTrue(facts, "taggedSpam") ? ", some tagged Spam" : ""}.`,
      cause: isPort25(service)
        ? "The smtpd that feeds the content filter also accepts logins: mail clients set to port 25 instead of the submission port send through it, and DSPAM judges their mail like mail from strangers. Nobody retrains those verdicts."
        : "This service accepts logins and hands what it receives to the content filter: DSPAM judges the users' own mail like mail from strangers, and nobody retrains those verdicts.",
      fix: isPort25(service)
        ? `${sentence(NO_LOGIN_ON_PORT_25)}.`
        : `Turn the filter off for mail from logged-in users: add \`-o content_filter=\` (empty) to this service's entry in master.cf (syslog_name ${service}).`,
    };
  },
  related: (subject): RelatedFinding[] => [
    { kind: "auth-on-port-25", subject: { service: subject.service ?? "postfix" } },
    { kind: "verdict-on-outgoing", subject: { via: "authenticated" } },
  ],
  reason: (t) =>
    `${plural(t.messages, "message")} from logged-in users ${t.messages === 1 ? "was" : "were"} filtered like mail from strangers`,
};
