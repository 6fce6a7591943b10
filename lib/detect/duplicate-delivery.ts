import type { DeliveryRecord, JourneyRecord } from "../core/journey.ts";
import { EXPAND_BEFORE_DSPAM } from "../filters/dspam/fixes.ts";
import { deliveredCopies } from "./copies.ts";
import type { FindingDefinition, FindingFacts, RelatedFinding } from "./definition.ts";
import type { Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { list, plural, sentence } from "./words.ts";

/** One recipient that got a message more than once. NOTE: persisted in evidence details. */
type Duplicate = { recipient: string; copies: number; queueIds: string[]; via: string[] };

/**
 * The same message delivered more than once to the same final recipient through different queues:
 * aliases expanded both before and after the content filter. One piece of evidence per message.
 */
export function detectDuplicateDelivery(journey: JourneyRecord): Evidence[] {
  const byRecipient = new Map<string, DeliveryRecord[]>();
  for (const copy of deliveredCopies(journey)) {
    const key = lower(copy.recipient);
    byRecipient.set(key, [...(byRecipient.get(key) ?? []), copy]);
  }
  const duplicates: (Duplicate & { lineIds: number[]; users: string[] })[] = [];
  for (const [recipient, copies] of byRecipient) {
    const queueIds = unique(copies.map((c) => c.queueId));
    if (copies.length < 2 || queueIds.length < 2) continue;
    duplicates.push({
      recipient,
      copies: copies.length,
      queueIds,
      via: unique(copies.map((c) => lower(c.origRecipient ?? c.recipient))),
      lineIds: copies.map((c) => c.lineId),
      users: copies.map((c) => c.verdict?.filterUser).filter((u): u is string => !!u),
    });
  }
  if (duplicates.length === 0) return [];
  return [
    {
      kind: "duplicate-delivery",
      subject: { cause: "aliases-expanded-twice" },
      severity: duplicateDelivery.severity,
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: unique(duplicates.flatMap((d) => d.users.map(lower))),
      recipients: duplicates.map((d) => d.recipient).sort(),
      detail: {
        duplicates: duplicates.map(({ recipient, copies, queueIds, via }) => ({
          recipient,
          copies,
          queueIds,
          via,
        })),
      },
      lineIds: duplicates.flatMap((d) => d.lineIds),
    },
  ];
}

/** The recipients that got duplicates, with the messages each got more than once and the addresses they were reached by. */
export function duplicatesByRecipient(
  details: readonly Record<string, unknown>[],
): { recipient: string; messages: number; extraCopies: number; via: string[] }[] {
  const byRecipient = new Map<string, { messages: number; extraCopies: number; via: Set<string> }>();
  for (const detail of details) {
    for (const d of (detail.duplicates ?? []) as Duplicate[]) {
      const entry = byRecipient.get(d.recipient) ?? { messages: 0, extraCopies: 0, via: new Set() };
      entry.messages += 1;
      entry.extraCopies += Math.max(0, d.copies - 1);
      for (const v of d.via) entry.via.add(v);
      byRecipient.set(d.recipient, entry);
    }
  }
  return [...byRecipient]
    .map(([recipient, e]) => ({
      recipient,
      messages: e.messages,
      extraCopies: e.extraCopies,
      via: [...e.via].sort(),
    }))
    .sort((a, b) => b.extraCopies - a.extraCopies || a.recipient.localeCompare(b.recipient));
}

function summary(facts: FindingFacts): string {
  const recipients = duplicatesByRecipient(facts.details);
  const shown = recipients.slice(0, 4).map((r) => `${r.recipient} (reached via ${list(r.via, 3)})`);
  const more = recipients.length > 4 ? ` and ${recipients.length - 4} more` : "";
  return `${sentence(plural(facts.recipients.length, "recipient"))} received ${plural(facts.count, "message")} more than once — the same Message-ID through different queues: ${shown.join("; ")}${more}.`;
}

export const duplicateDelivery: FindingDefinition = {
  kind: "duplicate-delivery",
  title: "Duplicate deliveries",
  severity: "medium",
  unit: "message",
  detect: { journey: detectDuplicateDelivery },
  cause: () => "aliases expanded before and after DSPAM",
  explain: (facts) => ({
    summary: summary(facts),
    cause:
      "Aliases are expanded twice, once before the content filter and again after it: Postfix expands an alias such as root@ or bob@ before handing the message to DSPAM, DSPAM reinjects one copy per expanded recipient, and the reinjection smtpd expands the aliases again, so an address reached through an alias gets another copy.",
    fix: `Expand aliases only once, before DSPAM: ${EXPAND_BEFORE_DSPAM}. Leave address mappings on where mail enters (the port-25 smtpd, pickup), so that DSPAM sees the expanded, personal recipients.`,
  }),
  related: (): RelatedFinding[] => [{ kind: "classified-under-alias", subject: { userIs: "external" } }],
  reason: (t) =>
    `${plural(t.messages, "message")} delivered more than once to the same address (aliases expanded before and after ${t.filter})`,
};
