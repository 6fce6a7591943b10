import type { JourneyRecord } from "../core/journey.ts";
import { deliveredCopies } from "./copies.ts";
import type { FindingDefinition } from "./definition.ts";
import type { Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { arrays, list, plural } from "./words.ts";

/**
 * The same message delivered more than once to the same final recipient through different queues:
 * aliases expanded both before and after the content filter.
 */
export function detectDuplicateDelivery(journey: JourneyRecord): Evidence[] {
  const byRecipient = new Map<string, ReturnType<typeof deliveredCopies>>();
  for (const copy of deliveredCopies(journey)) {
    const key = lower(copy.recipient);
    byRecipient.set(key, [...(byRecipient.get(key) ?? []), copy]);
  }
  const evidence: Evidence[] = [];
  for (const [recipient, copies] of byRecipient) {
    const queues = unique(copies.map((c) => c.queueId));
    if (copies.length < 2 || queues.length < 2) continue;
    evidence.push({
      kind: "duplicate-delivery",
      subject: { recipient },
      severity: "medium",
      ref: journey.key,
      ts: Math.min(...copies.map((c) => c.ts)),
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: unique(copies.map((c) => c.verdict?.dspamUser).filter((u): u is string => !!u)),
      recipients: [recipient],
      detail: {
        copies: copies.length,
        queueIds: queues,
        via: unique(copies.map((c) => c.origRecipient ?? c.recipient)),
        destination: copies[0]?.destination,
      },
      lineIds: copies.map((c) => c.lineId),
    });
  }
  return evidence;
}

export const duplicateDelivery: FindingDefinition = {
  kind: "duplicate-delivery",
  title: "Duplicate deliveries",
  severity: "medium",
  unit: "message",
  detect: { journey: detectDuplicateDelivery },
  explain: (facts) => ({
    summary: `${facts.subject.recipient} received ${plural(facts.count, "message")} more than once: the same Message-ID through different queues, addressed to ${list(arrays(facts, "via"))}.`,
    cause:
      "Aliases are expanded twice, once before the content filter and again after it: Postfix expands an alias such as root@ or bob@ before handing the message to DSPAM, DSPAM reinjects one copy per expanded recipient, and the reinjection smtpd expands the aliases again, so an address reached through an alias gets another copy.",
    fix: "Expand aliases only once, before DSPAM: add `-o receive_override_options=no_address_mappings` to the reinjection service in master.cf (the smtpd DSPAM delivers to, e.g. 127.0.0.1:10026) and do not set it on the port-25 smtpd. If mail from sendmail (pickup) is filtered too, it is expanded before the filter the same way.",
  }),
  reason: (t) =>
    `${plural(t.findings, "address", "addresses")} received duplicate copies of ${plural(t.messages, "message")}`,
};
