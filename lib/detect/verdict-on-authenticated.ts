import type { JourneyRecord } from "../core/journey.ts";
import { isSpam, judgedCopies } from "./copies.ts";
import type { FindingDefinition } from "./definition.ts";
import type { Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { anyTrue, describeService, plural } from "./words.ts";

/** Mail sent with SASL authentication went through DSPAM: colleagues' mail judged like strangers'. */
export function detectVerdictOnAuthenticated(journey: JourneyRecord): Evidence[] {
  if (journey.origin !== "authenticated" || !journey.saslUsername) return [];
  const copies = judgedCopies(journey);
  if (copies.length === 0) return [];
  const spam = copies.some((c) => isSpam(c.className));
  const service = journey.service ?? "postfix";
  return [
    {
      kind: "verdict-on-authenticated",
      subject: { service, user: lower(journey.saslUsername) },
      severity: spam ? "high" : "medium",
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: [lower(journey.saslUsername)],
      recipients: unique(copies.flatMap((c) => c.recipients)),
      detail: {
        service,
        client: journey.clientName ? `${journey.clientName}[${journey.clientIp ?? ""}]` : null,
        verdicts: unique(copies.map((c) => c.className)),
        fates: unique(copies.map((c) => c.fate)),
        taggedSpam: spam,
      },
      lineIds: copies.flatMap((c) => c.lineIds),
    },
  ];
}

export const verdictOnAuthenticated: FindingDefinition = {
  kind: "verdict-on-authenticated",
  title: "Logged-in users' mail filtered",
  severity: "medium",
  unit: "message",
  detect: { journey: detectVerdictOnAuthenticated },
  explain: (facts) => ({
    summary: `${plural(facts.count, "message")} sent by ${facts.subject.user} after logging in on ${describeService(facts.subject.service ?? "")} went through DSPAM${anyTrue(facts, "taggedSpam") ? ", some tagged Spam" : ""}.`,
    cause:
      "The smtpd that feeds the content filter also accepts authenticated users' mail and filters it like mail from strangers: their mail clients submit on port 25 instead of 587.",
    fix: "Have users submit on port 587 (submission, not filtered), and refuse authentication on port 25: add `-o smtpd_sasl_auth_enable=no` to the port-25 smtpd in master.cf.",
  }),
  reason: (t) =>
    `${plural(t.messages, "message")} from logged-in users ${t.messages === 1 ? "was" : "were"} filtered like mail from strangers`,
};
