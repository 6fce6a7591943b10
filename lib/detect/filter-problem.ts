import type { JourneyRecord } from "../core/journey.ts";
import type { StoredLine } from "../ingest/line-pipeline.ts";
import { deliveredCopies } from "./copies.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";

/**
 * The filter is down or failing: hand-offs to it deferred or bounced; and inbound mail that came
 * in on a filtered service but reached mailboxes without passing the filter.
 */
export function detectFilterProblemsInJourney(journey: JourneyRecord, ctx: DetectContext): Evidence[] {
  const evidence: Evidence[] = [];
  const failed = journey.deliveries.filter((d) => d.destination === "filter" && d.status !== "sent");
  if (failed.length > 0) {
    evidence.push({
      kind: "filter-problem",
      subject: { problem: "filter-unavailable", relay: failed[0]?.relay ?? "" },
      severity: "high",
      ref: journey.key,
      ts: Math.min(...failed.map((d) => d.ts)),
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: [],
      recipients: unique(failed.map((d) => lower(d.recipient))),
      detail: {
        attempts: failed.length,
        statuses: unique(failed.map((d) => d.status)),
        reply: failed[0]?.reply ?? "",
        filter: failed[0]?.filter ?? null,
      },
      lineIds: failed.map((d) => d.lineId),
    });
  }
  const filtered = journey.deliveries.some((d) => d.destination === "filter");
  const service = journey.service ?? "";
  const mailboxCopies = deliveredCopies(journey).filter((d) => d.destination === "mailbox");
  if (
    journey.origin === "inbound" &&
    !filtered &&
    ctx.filteredServices.has(service) &&
    mailboxCopies.length > 0
  ) {
    evidence.push({
      kind: "filter-problem",
      subject: { problem: "unfiltered-inbound", service },
      severity: "medium",
      ref: journey.key,
      ts: journey.firstTs,
      messageId: journey.messageId,
      journeyKey: journey.key,
      users: [],
      recipients: unique(mailboxCopies.map((d) => lower(d.recipient))),
      detail: {
        service,
        client: journey.clientName ? `${journey.clientName}[${journey.clientIp ?? ""}]` : null,
      },
      lineIds: mailboxCopies.map((d) => d.lineId),
    });
  }
  return evidence;
}

/** DSPAM's own errors while processing mail (not the answers to failed retrains, which are trainings). */
export function detectDspamErrors(lines: readonly StoredLine[]): Evidence[] {
  const evidence: Evidence[] = [];
  for (const line of lines) {
    const event = line.decoded.event;
    let problem: string | null = null;
    let text = line.raw.text;
    if (event.kind === "dspam.process-error" && event.action === "delivering") problem = "dspam-error";
    else if (event.kind === "dspam.agent-exit") problem = "dspam-delivery-agent";
    else if (event.kind === "dspam.error") problem = "dspam-error";
    if (!problem || line.decoded.ts === null) continue;
    if (event.kind === "dspam.error") text = event.text;
    evidence.push({
      kind: "filter-problem",
      subject: { problem },
      severity: problem === "dspam-delivery-agent" ? "high" : "medium",
      ref: `line:${line.id}`,
      ts: line.decoded.ts,
      messageId: null,
      journeyKey: null,
      users: [],
      recipients: [],
      detail: { text },
      lineIds: [line.id],
    });
  }
  return evidence;
}
