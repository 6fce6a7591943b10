import type { JourneyRecord } from "../core/journey.ts";
import { isSpam, judgedCopies, verdictLines } from "./copies.ts";
import type { Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";

/**
 * Mail made on the server itself — SMTP from localhost without authentication (web scripts),
 * sendmail/pickup (cron) — went through DSPAM: monitoring alerts and web-form mail judged as spam.
 */
export function detectVerdictOnLocal(journey: JourneyRecord): Evidence[] {
  if (journey.origin !== "local" || journey.parent) return [];
  const copies = judgedCopies(journey);
  if (copies.length === 0) return [];
  const spam = copies.some((c) => isSpam(c.verdict?.className));
  const root = journey.queues[0];
  const via = root?.via === "pickup" ? "sendmail" : "smtp-localhost";
  const from = lower(journey.sender || "<>");
  return [
    {
      kind: "verdict-on-local",
      subject: { via, from },
      severity: spam ? "high" : "medium",
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: unique(copies.map((c) => lower(c.verdict?.dspamUser ?? ""))),
      recipients: unique(copies.map((c) => lower(c.recipient))),
      detail: {
        via,
        sender: journey.sender,
        pickupUid: root?.pickupUid ?? null,
        client: journey.clientName ? `${journey.clientName}[${journey.clientIp ?? ""}]` : null,
        verdicts: unique(copies.map((c) => c.verdict?.className ?? "")),
        taggedSpam: spam,
      },
      lineIds: [...copies.map((c) => c.lineId), ...verdictLines(journey, copies)],
    },
  ];
}
