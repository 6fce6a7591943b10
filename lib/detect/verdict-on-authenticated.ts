import type { JourneyRecord } from "../core/journey.ts";
import { isSpam, judgedCopies, verdictLines } from "./copies.ts";
import type { Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";

/** Mail sent with SASL authentication went through DSPAM: colleagues' mail judged like strangers'. */
export function detectVerdictOnAuthenticated(journey: JourneyRecord): Evidence[] {
  if (journey.origin !== "authenticated" || !journey.saslUsername) return [];
  const copies = judgedCopies(journey);
  if (copies.length === 0) return [];
  const spam = copies.some((c) => isSpam(c.verdict?.className));
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
      recipients: unique(copies.map((c) => lower(c.recipient))),
      detail: {
        service,
        client: journey.clientName ? `${journey.clientName}[${journey.clientIp ?? ""}]` : null,
        verdicts: unique(copies.map((c) => c.verdict?.className ?? "")),
        taggedSpam: spam,
      },
      lineIds: [...copies.map((c) => c.lineId), ...verdictLines(journey, copies)],
    },
  ];
}
