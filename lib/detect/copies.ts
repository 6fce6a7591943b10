import type { DeliveryRecord, JourneyRecord } from "../core/journey.ts";

const isFinal = (d: DeliveryRecord) => d.destination === "mailbox" || d.destination === "external";

/** Copies that reached a mailbox or a remote server. */
export function deliveredCopies(journey: JourneyRecord): DeliveryRecord[] {
  return journey.deliveries.filter((d) => isFinal(d) && d.status === "sent");
}

/** Delivered copies that carry a DSPAM verdict: mail DSPAM judged and the judgement reached someone. */
export function judgedCopies(journey: JourneyRecord): DeliveryRecord[] {
  return deliveredCopies(journey).filter((d) => d.verdict !== null);
}

/** Line ids of the verdicts behind some copies. */
export function verdictLines(journey: JourneyRecord, copies: DeliveryRecord[]): number[] {
  const signatures = new Set(copies.map((c) => c.verdict?.signature).filter(Boolean));
  return journey.verdicts.filter((v) => signatures.has(v.signature)).map((v) => v.lineId);
}

export const isSpam = (className: string | undefined) =>
  className === "spam" || className === "virus" || className === "blacklisted" || className === "blocklisted";
