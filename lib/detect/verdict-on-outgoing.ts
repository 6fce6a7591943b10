import type { JourneyRecord } from "../core/journey.ts";
import { isSpam, judgedCopies } from "./copies.ts";
import type { FindingDefinition } from "./definition.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { anyTrue, list, plural } from "./words.ts";

/**
 * Mail from this server's users or scripts to external recipients went through DSPAM: if it is
 * tagged spam nobody will notice, and only root can retrain those dictionaries.
 */
export function detectVerdictOnOutgoing(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  if (journey.origin !== "authenticated" && journey.origin !== "local") return [];
  const copies = judgedCopies(journey)
    .map((c) => ({ ...c, recipients: c.recipients.filter((r) => !ctx.isLocalRecipient(r)) }))
    .filter((c) => c.recipients.length > 0);
  if (copies.length === 0) return [];
  const spam = copies.some((c) => isSpam(c.className));
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
      users: unique(copies.map((c) => lower(c.dspamUser))),
      recipients: unique(copies.flatMap((c) => c.recipients)),
      detail: {
        origin: journey.origin,
        sender: journey.sender,
        saslUsername: journey.saslUsername,
        verdicts: unique(copies.map((c) => c.className)),
        fates: unique(copies.map((c) => c.fate)),
        taggedSpam: spam,
      },
      lineIds: copies.flatMap((c) => c.lineIds),
    },
  ];
}

const SPLIT_SMTP =
  "split the port-25 service in master.cf in two: `127.0.0.1:smtp inet n - n - - smtpd` without a content filter for mail made on the server, and `<public IP>:smtp inet … smtpd -o content_filter=…` for mail from the Internet";

export const verdictOnOutgoing: FindingDefinition = {
  kind: "verdict-on-outgoing",
  title: "Outgoing mail filtered",
  severity: "medium",
  unit: "message",
  detect: { journey: detectVerdictOnOutgoing },
  explain: (facts) => ({
    summary: `${plural(facts.count, "message")} from ${facts.subject.from} to external recipients (${list(facts.recipients)}) went through DSPAM${anyTrue(facts, "taggedSpam") ? ", some tagged Spam" : ""}.`,
    cause:
      "Outgoing mail passes the content filter (authenticated mail on port 25, or scripts using the port-25 smtpd). If DSPAM tags it spam nobody will notice, only root can retrain those dictionaries, and DSPAM creates a dictionary for every external recipient.",
    fix: `Filter only mail from the Internet: submit on 587, and ${SPLIT_SMTP}.`,
  }),
  reason: (t) => `${plural(t.messages, "outgoing message")} went through DSPAM`,
};
