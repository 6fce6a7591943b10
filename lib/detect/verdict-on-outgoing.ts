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
import { NO_FILTER_ON_PICKUP, NO_LOGIN_ON_PORT_25, SPLIT_PORT_25 } from "./fixes.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { localVia, VIA_LABELS } from "./verdict-on-local.ts";
import { anyTrue, list, plural, sentence, values } from "./words.ts";

/**
 * Mail from this server's users or scripts to external recipients went through DSPAM: if it is
 * tagged spam nobody will notice, and only root can retrain those dictionaries.
 */
export function detectVerdictOnOutgoing(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  if (journey.origin !== "authenticated" && journey.origin !== "local") return [];
  if (journey.parent) return [];
  const copies = judgedCopies(journey)
    .map((c) => ({ ...c, recipients: c.recipients.filter((r) => !ctx.isLocalRecipient(r)) }))
    .filter((c) => c.recipients.length > 0);
  if (copies.length === 0) return [];
  const spam = copies.some((c) => isSpamResult(c.result));
  const via = journey.origin === "authenticated" ? "authenticated" : localVia(journey);
  return [
    {
      kind: "verdict-on-outgoing",
      subject: { via, ...(judgedByRspamd(journey) ? RSPAMD_SUBJECT : {}) },
      severity: spam ? "high" : verdictOnOutgoing.severity,
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: unique(copies.flatMap((c) => (c.filterUser === null ? [] : [lower(c.filterUser)]))),
      recipients: unique(copies.flatMap((c) => c.recipients)),
      detail: {
        via,
        from: lower(journey.saslUsername ?? journey.sender ?? "unknown"),
        sender: journey.sender,
        saslUsername: journey.saslUsername,
        verdicts: unique(copies.map((c) => c.result)),
        fates: unique(copies.map((c) => c.fate)),
        taggedSpam: spam,
      },
      lineIds: copies.flatMap((c) => c.lineIds),
    },
  ];
}

const SENT_BY: Record<string, string> = {
  authenticated: "sent by logged-in users",
  sendmail: "made on the server by sendmail/pickup (cron jobs, scripts)",
  "smtp-localhost": "sent by scripts on the server over SMTP from localhost, without login",
};

export const verdictOnOutgoing: FindingDefinition = {
  kind: "verdict-on-outgoing",
  title: "Outgoing mail filtered",
  severity: "medium",
  unit: "message",
  detect: { journey: detectVerdictOnOutgoing },
  cause: (s) => VIA_LABELS[s.via ?? ""] ?? s.via ?? "",
  explain: (facts) => {
    if (isRspamdFinding(facts)) return explainRspamdScope(facts, "from this server to other servers");
    const via = facts.subject.via ?? "authenticated";
    return {
      summary: `${sentence(plural(facts.count, "message"))} from ${list(values(facts, "from"))}, ${SENT_BY[via] ?? via}, to ${plural(facts.recipients.length, "recipient")} on other servers (${list(facts.recipients)}) went through DSPAM${anyTrue(facts, "taggedSpam") ? ", some tagged Spam" : ""}.`,
      cause: `Outgoing mail passes the content filter (${via === "authenticated" ? "logins on the filtered port-25 smtpd" : via === "sendmail" ? "`content_filter` in main.cf applies to pickup" : "scripts send through the filtered port-25 smtpd"}). If DSPAM tags it spam nobody notices, nobody retrains those verdicts, and DSPAM keeps a dictionary for every recipient elsewhere.`,
      fix: `${sentence(via === "authenticated" ? NO_LOGIN_ON_PORT_25 : via === "sendmail" ? NO_FILTER_ON_PICKUP : SPLIT_PORT_25)}.`,
    };
  },
  related: (subject): RelatedFinding[] => [
    subject.via === "authenticated"
      ? { kind: "verdict-on-authenticated" }
      : { kind: "verdict-on-local", subject: { via: subject.via ?? "" } },
    { kind: "dspam-user-sprawl", subject: { isA: "external" } },
  ],
  reason: (t) => `${plural(t.messages, "outgoing message")} went through ${t.filter}`,
};
