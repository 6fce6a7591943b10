import type { JourneyRecord } from "../core/journey.ts";
import { passedFilter } from "../filters/passed-filter.ts";
import type { StoredLine } from "../ingest/line-pipeline.ts";
import { deliveredCopies } from "./copies.ts";
import type { Explanation, FindingDefinition, FindingFacts } from "./definition.ts";
import type { DetectContext, Evidence } from "./types.ts";
import { lower, unique } from "./types.ts";
import { describeService, list, plural, values } from "./words.ts";

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
  const filtered = passedFilter(journey);
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

function explainFilterProblem(facts: FindingFacts): Explanation {
  const s = facts.subject;
  const n = facts.count;
  switch (s.problem) {
    case "filter-unavailable":
      return {
        summary: `${plural(n, "message")} could not be handed to the content filter at ${s.relay} (${list(values(facts, "statuses"))}).`,
        cause: `Postfix could not deliver to the filter: ${values(facts, "reply")[0] ?? "the filter did not answer"}. Mail waits in the queue (or bounces) until it does.`,
        fix: "Check that the DSPAM daemon runs and that its socket or port is reachable by Postfix (permissions of the unix socket, ServerDomainSocketPath in dspam.conf); `postqueue -f` retries the waiting mail.",
      };
    case "unfiltered-inbound":
      return {
        summary: `${plural(n, "inbound message")} on ${describeService(s.service ?? "")} reached mailboxes without passing the content filter.`,
        cause:
          "Most mail on this service is filtered, these were not: an access map or header check without FILTER, a content_filter override, or a second path into the same service.",
        fix: "Look at one of them with `spamtrail message <id>` and compare its queue lines with a filtered one; check master.cf overrides and FILTER actions in access maps.",
      };
    case "dspam-delivery-agent":
      return {
        summary: `DSPAM's delivery agent failed ${plural(n, "time")}.`,
        cause: values(facts, "text")[0] ?? "dspam could not hand the message on after classifying it.",
        fix: "Check DeliveryHost/DeliveryPort (or the LDA command) in dspam.conf and that the reinjection smtpd accepts DSPAM's connections.",
      };
    default:
      return {
        summary: `DSPAM logged ${plural(n, "error")} while processing mail.`,
        cause: values(facts, "text")[0] ?? "DSPAM failed while processing a message.",
        fix: "Read DSPAM's lines around these times (`spamtrail` keeps them on the Sources page); check its storage driver and the permissions of its data directory.",
      };
  }
}

export const filterProblem: FindingDefinition = {
  kind: "filter-problem",
  title: "Content filter problems",
  severity: "high",
  unit: "message",
  detect: { journey: detectFilterProblemsInJourney, lines: detectDspamErrors },
  cause: (s) =>
    s.problem === "filter-unavailable"
      ? `filter unreachable at ${s.relay}`
      : s.problem === "unfiltered-inbound"
        ? `inbound mail not filtered on ${describeService(s.service ?? "")}`
        : s.problem === "dspam-delivery-agent"
          ? "DSPAM's delivery agent failed"
          : "DSPAM errors",
  explain: explainFilterProblem,
  reason: (t) => `the content filter had ${plural(t.evidence, "problem")}`,
};
