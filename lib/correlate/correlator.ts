import { assertNever } from "../core/events.ts";
import type { CorrelatorOutput } from "../core/journey.ts";
import { RETRAIN_CLASSES, VERDICT_CLASSES, verdictOfRecord } from "../filters/dspam/verdict.ts";
import { drainRspamdTrainings, onControllerLine, onRspamcOutput } from "../filters/rspamd/join-learns.ts";
import { onBayesKey, onScan } from "../filters/rspamd/join-scans.ts";
import { buildJourney } from "./build-journey.ts";
import { Context, type CorrelatorOptions } from "./context.ts";
import { expireStores, onStore } from "./mailbox.ts";
import {
  onBounce,
  onClient,
  onClosed,
  onConnect,
  onDelivery,
  onDisconnect,
  onMessageId,
  onPickup,
  onQmgr,
  onQueueNote,
} from "./queues.ts";
import type { CorrelatorEvent, CorrelatorSnapshot, JourneyState } from "./state.ts";
import {
  drainTrainings,
  onAntispamCommand,
  onAntispamConfig,
  onDspamFailure,
  onMailLog,
  onRetrainRecord,
} from "./trainings.ts";
import { expireVerdicts, onVerdict, upgradeVerdict } from "./verdicts.ts";

export type { CorrelatorEvent, CorrelatorSnapshot } from "./state.ts";

/**
 * Follows messages across Postfix queues, DSPAM and Dovecot, and retraining back into DSPAM.
 * Pure: events in, journey and training updates out; no I/O, no clock but the events' own times.
 * Feed events in time order (the ingest merges files by time); lines of other programs may be a
 * few seconds early or late.
 */
export class Correlator {
  private readonly ctx: Context;

  constructor(options: CorrelatorOptions = {}, snapshot?: CorrelatorSnapshot) {
    this.ctx = new Context(options);
    if (snapshot) restore(this.ctx, snapshot);
  }

  push(e: CorrelatorEvent): void {
    const ctx = this.ctx;
    if (e.ts > ctx.clock) ctx.clock = e.ts;
    const event = e.event;
    switch (event.kind) {
      case "postfix.connect":
        onConnect(ctx, e, event);
        break;
      case "postfix.disconnect":
        onDisconnect(ctx, e, event);
        break;
      case "postfix.client":
        onClient(ctx, e, event);
        break;
      case "postfix.pickup":
        onPickup(ctx, e, event);
        break;
      case "postfix.message-id":
        onMessageId(ctx, e, event);
        break;
      case "postfix.qmgr":
        onQmgr(ctx, e, event);
        break;
      case "postfix.delivery":
        onDelivery(ctx, e, event);
        break;
      case "postfix.bounce":
        onBounce(ctx, e, event);
        break;
      case "postfix.removed":
        onClosed(ctx, e, event.queueId, "removed");
        break;
      case "postfix.expired":
        onQueueNote(ctx, e, event.queueId, "expired");
        break;
      case "postfix.postsuper":
        if (event.action === "removed") onClosed(ctx, e, event.queueId, "deleted");
        else onQueueNote(ctx, e, event.queueId, event.action);
        break;
      case "postfix.action":
        if (event.queueId)
          onQueueNote(ctx, e, event.queueId, `${event.action} (${event.stage}): ${event.reply}`);
        break;
      case "postfix.notice":
        if (event.queueId) onQueueNote(ctx, e, event.queueId);
        break;
      case "dspam.record":
        if (VERDICT_CLASSES.has(event.dspamClass)) onVerdict(ctx, e, verdictOfRecord(event, e.ts, e.lineId));
        else if (RETRAIN_CLASSES.has(event.dspamClass)) onRetrainRecord(ctx, e, event);
        break;
      case "dspam.open-failed":
      case "dspam.signature-failed":
      case "dspam.no-valid-signature":
      case "dspam.process-error":
        onDspamFailure(ctx, e, event);
        break;
      case "dovecot.saved":
      case "dovecot.sieve":
        onStore(ctx, e, event);
        break;
      case "dovecot.mail-log":
        onMailLog(ctx, e, event);
        break;
      case "antispam.command":
        onAntispamCommand(ctx, e, event);
        break;
      case "antispam.config":
        onAntispamConfig(ctx, event);
        break;
      case "rspamd.scan":
        onScan(ctx, e, event);
        break;
      case "rspamd.bayes-key":
        onBayesKey(ctx, e, event.user, event);
        onControllerLine(ctx, e, event);
        break;
      case "rspamd.message":
      case "rspamd.learned":
      case "rspamd.learn-skipped":
      case "rspamd.learn-denied":
        onControllerLine(ctx, e, event);
        break;
      case "rspamc.output":
        onRspamcOutput(ctx, e, event);
        break;
      case "postfix.sasl-failure":
      case "postfix.connection-problem":
      case "postfix.postscreen":
      case "dspam.agent-exit":
      case "dspam.daemon":
      case "dspam.error":
      case "dspam.source":
      case "dspam.summary":
      case "dovecot.lmtp-connection":
      case "dovecot.login":
      case "dovecot.logout":
      case "dovecot.auth":
      case "dovecot.notice":
      case "antispam.copy":
      case "antispam.trash-check":
      case "antispam.mailbox-check":
      case "antispam.error":
      case "rspamd.bayes-tokens":
      case "rspamd.bayes-too-few-learns":
      case "rspamd.milter-accepted":
      case "rspamd.milter-client":
      case "rspamd.milter-finished":
      case "other":
      case "unparsed":
        break;
      default:
        assertNever(event);
    }
  }

  /**
   * Hands out what is final: journeys finished longer than the grace period (or idle for days),
   * trainings DSPAM had time to answer, classifications no journey claimed. With `provisional`,
   * also the current state of every open journey and training that changed, so a reader sees
   * mail still in flight; later updates of the same key replace it. With `inFlight`, only the open
   * journeys that changed (follow writes them with every batch, so that new mail shows at once).
   * `live` (follow): a journey that waits for late lines of other programs is still in progress;
   * a one-shot read has read them all.
   */
  drain(options: { provisional: boolean; inFlight?: boolean; live?: boolean }): CorrelatorOutput[] {
    const ctx = this.ctx;
    for (const journey of [...ctx.journeys.values()]) {
      const idle = ctx.clock - journey.lastActivity;
      const finished = idle > ctx.graceMs && this.isComplete(journey);
      if (finished || idle > ctx.maxIdleMs) {
        this.emit(journey, false);
        this.evict(journey);
      } else if ((options.provisional || options.inFlight) && journey.dirty) {
        this.emit(journey, true, options.live ?? false);
      }
    }
    expireVerdicts(ctx);
    // Classifications still waiting for their journey are stored as they stand; if the journey
    // shows up later, its version claims them.
    if (options.provisional)
      for (const verdict of ctx.verdicts) ctx.out.push({ type: "orphan-verdict", verdict });
    expireStores(ctx, options.provisional);
    drainTrainings(ctx, options.provisional);
    drainRspamdTrainings(ctx, options.provisional);
    for (const [key, session] of ctx.sessions)
      if (ctx.clock - session.ts > ctx.graceMs * 12) ctx.sessions.delete(key);
    return ctx.out.splice(0);
  }

  /** The open state as plain data (a copy, JSON-safe), for restore after a restart. */
  snapshot(): CorrelatorSnapshot {
    return JSON.parse(this.serialize()) as CorrelatorSnapshot;
  }

  /** The open state as JSON, what the store saves with the lines it covers. */
  serialize(): string {
    const ctx = this.ctx;
    const snapshot: CorrelatorSnapshot = {
      version: 1,
      clock: ctx.clock,
      nextSeq: ctx.nextSeq,
      queues: [...ctx.queues.values()],
      journeys: [...ctx.journeys.values()],
      sessions: [...ctx.sessions.values()],
      stores: ctx.stores,
      verdicts: ctx.verdicts,
      moves: ctx.moves,
      failures: ctx.failures,
      retrains: ctx.retrains,
      trainings: ctx.trainings,
      rspamd: ctx.rspamd,
      localDomains: [...ctx.learntDomains],
      filterRelays: [...ctx.filterRelays],
      spamFolders: [...ctx.spamFolders],
    };
    return JSON.stringify(snapshot);
  }

  /** Domains recipients are local in (configured, else learnt from mailbox deliveries). */
  localDomains(): string[] {
    const ctx = this.ctx;
    return [...(ctx.configuredDomains.size > 0 ? ctx.configuredDomains : ctx.learntDomains)].sort();
  }

  private isComplete(journey: JourneyState): boolean {
    return journey.queues.every((seq) => {
      const queue = this.ctx.queues.get(seq);
      return !queue?.seen || queue.closed !== null;
    });
  }

  private emit(journey: JourneyState, open: boolean, live = false): void {
    const record = buildJourney(journey, (seq) => this.ctx.queues.get(seq));
    record.inProgress = open && (!record.complete || live);
    this.ctx.out.push({ type: "journey", journey: record, replaces: journey.emitted });
    journey.dirty = false;
    journey.emitted = true;
  }

  private evict(journey: JourneyState): void {
    const ctx = this.ctx;
    for (const seq of journey.queues) {
      const queue = ctx.queues.get(seq);
      if (!queue) continue;
      ctx.queues.delete(seq);
      ctx.queueIndex.deleteIf(queue.host, queue.queueId, seq);
      for (const delivery of queue.deliveries) {
        if (delivery.session && ctx.bySession.get(delivery.session)?.queue === seq)
          ctx.bySession.delete(delivery.session);
        if (delivery.queuedAs && ctx.relays.get(delivery.queuedAs)?.queue === seq)
          ctx.relays.delete(delivery.queuedAs);
      }
      if (queue.messageId) {
        const set = ctx.byMessageId.get(queue.messageId);
        set?.delete(journey.seq);
        if (set?.size === 0) ctx.byMessageId.delete(queue.messageId);
      }
    }
    ctx.journeys.delete(journey.seq);
  }
}

function restore(ctx: Context, snapshot: CorrelatorSnapshot): void {
  if (snapshot.version !== 1)
    throw new Error(`unknown correlator snapshot version ${String(snapshot.version)}`);
  const copy = structuredClone(snapshot);
  ctx.clock = copy.clock;
  ctx.nextSeq = copy.nextSeq;
  for (const queue of copy.queues) {
    ctx.queues.set(queue.seq, queue);
    const current = ctx.queueIndex.get(queue.host, queue.queueId);
    if (current === undefined || (ctx.queues.get(current)?.firstTs ?? 0) <= queue.firstTs)
      ctx.queueIndex.set(queue.host, queue.queueId, queue.seq);
    if (queue.host !== null) ctx.hosts.add(queue.host);
    queue.deliveries.forEach((delivery, index) => {
      if (delivery.session) ctx.bySession.set(delivery.session, { queue: queue.seq, delivery: index });
      if (delivery.queuedAs && delivery.destination === "external")
        ctx.relays.set(delivery.queuedAs, { queue: queue.seq, delivery: index });
    });
  }
  for (const journey of copy.journeys) {
    journey.verdicts = journey.verdicts.map(upgradeVerdict);
    ctx.journeys.set(journey.seq, journey);
    for (const seq of journey.queues) {
      const messageId = ctx.queues.get(seq)?.messageId;
      if (messageId) ctx.indexMessageId(messageId, journey.seq);
    }
  }
  for (const session of copy.sessions) ctx.sessions.set(`${session.host ?? ""}\t${session.pid}`, session);
  ctx.stores = copy.stores;
  ctx.verdicts = copy.verdicts.map(upgradeVerdict);
  ctx.moves = copy.moves;
  ctx.failures = copy.failures;
  ctx.retrains = copy.retrains;
  ctx.trainings = copy.trainings;
  if (copy.rspamd) ctx.rspamd = copy.rspamd;
  for (const domain of copy.localDomains) ctx.learntDomains.add(domain);
  for (const relay of copy.filterRelays) ctx.filterRelays.add(relay);
  for (const folder of copy.spamFolders) ctx.spamFolders.add(folder);
}
