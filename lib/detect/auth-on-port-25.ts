import type { JourneyRecord } from "../core/journey.ts";
import type { FindingDefinition, RelatedFinding } from "./definition.ts";
import { NO_LOGIN_ON_PORT_25 } from "./fixes.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower } from "./types.ts";
import { describeService, list, plural, sentence } from "./words.ts";

/**
 * SASL authentication accepted by the smtpd that receives mail from the Internet (port 25, the one
 * that feeds the content filter): mail clients set to port 25 instead of 587 get their mail filtered.
 */
export function detectAuthOnPort25(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  if (journey.origin !== "authenticated" || !journey.saslUsername) return [];
  const service = journey.service ?? "postfix";
  if (!ctx.mxServices.has(service)) return [];
  const root = journey.queues[0];
  const clientLine = journey.lines.find((line) => line.hop === root?.queueId);
  return [
    {
      kind: "auth-on-port-25",
      subject: { service },
      severity: authOnPort25.severity,
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: [lower(journey.saslUsername)],
      recipients: [],
      detail: {
        service,
        saslUsername: journey.saslUsername,
        saslMethod: root?.saslMethod ?? null,
        client: journey.clientName ? `${journey.clientName}[${journey.clientIp ?? ""}]` : null,
      },
      lineIds: clientLine ? [clientLine.lineId] : [],
    },
  ];
}

export const authOnPort25: FindingDefinition = {
  kind: "auth-on-port-25",
  title: "Logins accepted on port 25",
  severity: "medium",
  unit: "message",
  detect: { journey: detectAuthOnPort25 },
  cause: (s) => describeService(s.service ?? ""),
  explain: (facts) => ({
    summary: `SASL authentication is accepted on ${describeService(facts.subject.service ?? "")}, which receives mail from the Internet and feeds the content filter: ${plural(facts.count, "authenticated message")} from ${list(facts.users)}.`,
    cause:
      "`smtpd_sasl_auth_enable` is on for this service (in main.cf, not overridden in master.cf), so mail clients set to port 25 can log in there — and their mail is filtered like mail from strangers.",
    fix: `${sentence(NO_LOGIN_ON_PORT_25)}.`,
  }),
  related: (subject): RelatedFinding[] => [
    { kind: "verdict-on-authenticated", subject: { service: subject.service ?? "postfix" } },
  ],
  reason: () => "port 25 accepts logins, so users' own mail is filtered",
};
