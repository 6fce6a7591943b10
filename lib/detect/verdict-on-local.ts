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
import { NO_FILTER_ON_PICKUP, SPLIT_PORT_25 } from "./fixes.ts";
import type { Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { anyTrue, list, plural, sentence, values } from "./words.ts";

/** How mail made on this machine, or a logged-in user's mail, entered Postfix, in a few words. */
export const VIA_LABELS: Record<string, string> = {
  authenticated: "logged-in users",
  sendmail: "sendmail/pickup: cron jobs, scripts",
  "smtp-localhost": "scripts over SMTP from localhost",
};

/** How mail made on this machine entered Postfix. NOTE: persisted (finding subjects). */
export function localVia(journey: JourneyRecord): "sendmail" | "smtp-localhost" {
  return journey.queues[0]?.via === "pickup" ? "sendmail" : "smtp-localhost";
}

/**
 * Mail made on the server itself — SMTP from localhost without authentication (web scripts),
 * sendmail/pickup (cron) — went through DSPAM: monitoring alerts and web-form mail judged as spam.
 */
export function detectVerdictOnLocal(journey: JourneyRecord): Evidence[] {
  if (journey.origin !== "local" || journey.parent) return [];
  const copies = judgedCopies(journey);
  if (copies.length === 0) return [];
  const spam = copies.some((c) => isSpamResult(c.result));
  const root = journey.queues[0];
  const via = localVia(journey);
  return [
    {
      kind: "verdict-on-local",
      subject: { via, ...(judgedByRspamd(journey) ? RSPAMD_SUBJECT : {}) },
      severity: spam ? "high" : verdictOnLocal.severity,
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: unique(copies.flatMap((c) => (c.filterUser === null ? [] : [lower(c.filterUser)]))),
      recipients: unique(copies.flatMap((c) => c.recipients)),
      detail: {
        via,
        from: lower(journey.sender || "<>"),
        pickupUid: root?.pickupUid ?? null,
        client: journey.clientName ? `${journey.clientName}[${journey.clientIp ?? ""}]` : null,
        verdicts: unique(copies.map((c) => c.result)),
        fates: unique(copies.map((c) => c.fate)),
        taggedSpam: spam,
      },
      lineIds: copies.flatMap((c) => c.lineIds),
    },
  ];
}

export const verdictOnLocal: FindingDefinition = {
  kind: "verdict-on-local",
  title: "Mail made on the server filtered",
  severity: "medium",
  unit: "message",
  detect: { journey: detectVerdictOnLocal },
  cause: (s) => VIA_LABELS[s.via ?? ""] ?? s.via ?? "",
  explain: (facts) => {
    if (isRspamdFinding(facts))
      return explainRspamdScope(
        facts,
        "made on this server itself (scripts over SMTP from localhost, sendmail)",
      );
    const sendmail = facts.subject.via === "sendmail";
    return {
      summary: `${sentence(plural(facts.count, "message"))} made on the server itself (${sendmail ? "sendmail/pickup: cron jobs, scripts" : "SMTP from localhost without login: web scripts"}) from ${list(values(facts, "from"))} went through DSPAM${anyTrue(facts, "taggedSpam") ? ", some tagged Spam" : ""}.`,
      cause: sendmail
        ? "`content_filter` is set in main.cf, so it applies to pickup too (FILTER_README: the smtpd and pickup servers add the content filter to the mail they receive): cron and script mail is judged as if it came from the Internet."
        : "Scripts send through the same smtpd that receives mail from the Internet, and that smtpd hands everything it receives to the content filter.",
      fix: `${sentence(sendmail ? NO_FILTER_ON_PICKUP : SPLIT_PORT_25)}.`,
    };
  },
  related: (subject): RelatedFinding[] => [
    { kind: "verdict-on-outgoing", subject: { via: subject.via ?? "" } },
  ],
  reason: (t) => `${plural(t.messages, "message")} made on the server went through ${t.filter}`,
};
