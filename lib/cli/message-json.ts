import { isUserInferred } from "../filters/rspamd/verdict-status.ts";
import { dspamClassLetter } from "../parsers/dspam-record.ts";
import type { MessageDetail } from "../queries/message.ts";
import type { MessageFinding } from "../queries/message-view.ts";
import { progressOf } from "../queries/progress.ts";

const iso = (date: Date | null) => (date ? date.toISOString() : null);
const isFinal = (destination: string) => destination === "mailbox" || destination === "external";

/** The `spamtrail message --json` contract (README: "spamtrail message"). */
export function messageToJson(message: MessageDetail, findings: readonly MessageFinding[]) {
  const first = message.journeys[0];
  const queues = message.journeys.flatMap((j) => j.queues);
  const deliveredBy = new Map<string, number>();
  // Copies delivered to each address (any spelling): more than one is a duplicate delivery.
  const copies = new Map<string, number>();
  const seen = new Map<string, number>();
  for (const d of message.journeys.flatMap((j) => j.deliveries)) {
    if (!isFinal(d.destination) || d.status !== "sent") continue;
    deliveredBy.set(d.queueId, (deliveredBy.get(d.queueId) ?? 0) + 1);
    copies.set(d.recipient.toLowerCase(), (copies.get(d.recipient.toLowerCase()) ?? 0) + 1);
  }
  const copyOf = (d: { recipient: string; status: string; destination: string }) => {
    if (d.status !== "sent") return { copy: null, copies: copies.get(d.recipient.toLowerCase()) ?? 0 };
    const n = (seen.get(d.recipient.toLowerCase()) ?? 0) + 1;
    seen.set(d.recipient.toLowerCase(), n);
    return { copy: n, copies: copies.get(d.recipient.toLowerCase()) ?? 0 };
  };
  return {
    messageId: message.messageId,
    origin: first?.origin ?? null,
    saslUsername: first?.saslUsername ?? null,
    service: first?.service ?? null,
    client: first?.clientName ? `${first.clientName}[${first.clientIp ?? ""}]` : null,
    sender: first?.sender ?? null,
    subject: first?.subject ?? null,
    journeys: message.journeys.map((j) => j.key),
    complete: message.journeys.every((j) => j.complete),
    inProgress: message.journeys.some((j) => j.inProgress),
    progress: message.journeys.map(progressOf).find((p) => p !== null) ?? null,
    queueIds: queues.map((q) => q.queueId),
    deliveries: message.journeys
      .flatMap((j) => j.deliveries)
      .filter((d) => isFinal(d.destination))
      .map((d) => ({
        recipient: d.recipient,
        origRecipient: d.origRecipient,
        queueId: d.queueId,
        status: d.status,
        dsn: d.dsn,
        destination: d.destination,
        mailbox: d.folder,
        mailboxUser: d.mailboxUser,
        classifiedAs: d.verdictUser,
        verdict: d.verdictClass,
        verdictFilter: d.verdictFilter,
        relay: d.relay,
        ts: iso(d.ts),
        ...copyOf(d),
      })),
    filterHandoffs: message.journeys
      .flatMap((j) => j.deliveries)
      .filter((d) => d.destination === "filter")
      .map((d) => ({
        recipient: d.recipient,
        queueId: d.queueId,
        filter: d.filter,
        status: d.status,
        ts: iso(d.ts),
      })),
    verdicts: message.journeys
      .flatMap((j) => j.verdicts)
      .map((v) => ({
        filter: v.filter,
        user: v.filterUser,
        result: v.result,
        action: v.action,
        score: v.score,
        // No log line named the statistics user: derived from the filter's rules (Rspamd without debug).
        userInferred: isUserInferred(v),
        // The names verdicts had before they named their filter, kept for scripts that read them.
        ...(v.filter === "dspam" ? { dspamUser: v.filterUser, dspamClass: dspamClassLetter(v.result) } : {}),
        signature: v.signature,
        queueId: v.queueId,
        deliveredCopies: v.queueId ? (deliveredBy.get(v.queueId) ?? 0) : 0,
        ts: iso(v.ts),
      })),
    trainings: message.trainings.map((t) => ({
      filter: t.filter,
      login: t.login,
      user: t.filterUser,
      ...(t.filter === "dspam" ? { dspamUser: t.filterUser } : {}),
      classifiedUser: t.classifiedUser,
      direction: t.direction,
      outcome: t.outcome,
      reason: t.reason,
      signature: t.signature,
      fromMailbox: t.fromMailbox,
      toMailbox: t.toMailbox,
      ts: iso(t.ts),
    })),
    links: queues
      .filter((q) => q.parentQueueId)
      .map((q) => ({
        from: q.parentQueueId,
        to: q.queueId,
        rule: q.linkRule,
        confidence: q.linkConfidence,
        recipient: q.linkRecipient,
      })),
    findings: findings.map((f) => ({
      id: f.id,
      kind: f.kind,
      severity: f.severity,
      status: f.status,
      summary: f.summary,
    })),
    related: message.related.map((r) => ({
      journey: r.key,
      relation: r.relation,
      messageId: r.messageId,
      ts: iso(r.firstTs),
    })),
    lines: message.lines.map((l) => ({
      ts: iso(l.ts),
      hop: l.hop,
      source: l.source,
      lineNo: l.lineNo,
      raw: l.raw,
    })),
  };
}

export type MessageJson = ReturnType<typeof messageToJson>;
