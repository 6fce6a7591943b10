import { Badge, type Tone } from "./badge";

const DELIVERY: Record<string, Tone> = { sent: "green", deferred: "amber", bounced: "red", expired: "red" };
const TRAINING: Record<string, Tone> = { applied: "green", failed: "red", unknown: "amber" };

/** Postfix's status of a delivery attempt. */
export function DeliveryStatus({ status }: { status: string }) {
  return <Badge tone={DELIVERY[status] ?? "slate"}>{status}</Badge>;
}

/** Whether DSPAM applied a retraining. */
export function TrainingOutcome({ outcome }: { outcome: string }) {
  return <Badge tone={TRAINING[outcome] ?? "slate"}>{outcome}</Badge>;
}
