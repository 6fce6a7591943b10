import type { JourneyRecord } from "../core/journey.ts";
import { isSpam, judgedCopies } from "./copies.ts";
import type { FindingDefinition } from "./definition.ts";
import type { Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { anyTrue, plural } from "./words.ts";

/**
 * Mail made on the server itself — SMTP from localhost without authentication (web scripts),
 * sendmail/pickup (cron) — went through DSPAM: monitoring alerts and web-form mail judged as spam.
 */
export function detectVerdictOnLocal(journey: JourneyRecord): Evidence[] {
  if (journey.origin !== "local" || journey.parent) return [];
  const copies = judgedCopies(journey);
  if (copies.length === 0) return [];
  const spam = copies.some((c) => isSpam(c.className));
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
      users: unique(copies.map((c) => lower(c.dspamUser))),
      recipients: unique(copies.flatMap((c) => c.recipients)),
      detail: {
        via,
        sender: journey.sender,
        pickupUid: root?.pickupUid ?? null,
        client: journey.clientName ? `${journey.clientName}[${journey.clientIp ?? ""}]` : null,
        verdicts: unique(copies.map((c) => c.className)),
        fates: unique(copies.map((c) => c.fate)),
        taggedSpam: spam,
      },
      lineIds: copies.flatMap((c) => c.lineIds),
    },
  ];
}

const SPLIT_SMTP =
  "Split the port-25 service in master.cf in two: `127.0.0.1:smtp inet n - n - - smtpd` without a content filter for mail made on the server, and `<public IP>:smtp inet … smtpd -o content_filter=…` for mail from the Internet";

export const verdictOnLocal: FindingDefinition = {
  kind: "verdict-on-local",
  title: "Mail made on the server filtered",
  severity: "medium",
  unit: "message",
  detect: { journey: detectVerdictOnLocal },
  explain: (facts) => {
    const s = facts.subject;
    const sendmail = s.via === "sendmail";
    return {
      summary: `${plural(facts.count, "message")} made on the server itself (${sendmail ? "sendmail/pickup: cron jobs, scripts" : "SMTP from localhost without login: web scripts"}) from ${s.from} went through DSPAM${anyTrue(facts, "taggedSpam") ? ", some tagged Spam" : ""}.`,
      cause: sendmail
        ? "content_filter is set in main.cf, so it applies to pickup too: cron and script mail is judged as if it came from the Internet."
        : "Scripts connect to the same smtpd that receives mail from the Internet, and that smtpd filters everything it receives.",
      fix: sendmail
        ? "Set the content filter only on the port-25 smtpd (`-o content_filter=…` in master.cf) instead of in main.cf, so pickup is not filtered."
        : `${SPLIT_SMTP}.`,
    };
  },
  reason: (t) => `${plural(t.messages, "message")} made on the server went through DSPAM`,
};
