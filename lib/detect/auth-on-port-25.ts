import type { JourneyRecord } from "../core/journey.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower } from "./types.ts";

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
      severity: "medium",
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
