import type { JourneyRecord } from "../core/journey.ts";
import { isSpam, judgedCopies, verdictLines } from "./copies.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";

/**
 * Mail from this server's users or scripts to external recipients went through DSPAM: if it is
 * tagged spam nobody will notice, and only root can retrain those dictionaries.
 */
export function detectVerdictOnOutgoing(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  if (journey.origin !== "authenticated" && journey.origin !== "local") return [];
  const copies = judgedCopies(journey).filter((c) => !ctx.isLocalRecipient(c.recipient));
  if (copies.length === 0) return [];
  const spam = copies.some((c) => isSpam(c.verdict?.className));
  const from = lower(journey.saslUsername ?? journey.sender ?? "unknown");
  return [
    {
      kind: "verdict-on-outgoing",
      subject: { from },
      severity: spam ? "high" : "medium",
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: unique(copies.map((c) => lower(c.verdict?.dspamUser ?? ""))),
      recipients: unique(copies.map((c) => lower(c.recipient))),
      detail: {
        origin: journey.origin,
        sender: journey.sender,
        saslUsername: journey.saslUsername,
        verdicts: unique(copies.map((c) => c.verdict?.className ?? "")),
        taggedSpam: spam,
      },
      lineIds: [...copies.map((c) => c.lineId), ...verdictLines(journey, copies)],
    },
  ];
}
