import type { CorrelatorOutput, JourneyRecord, TrainingRecord } from "../../lib/core/journey.ts";
import { Correlator, type CorrelatorEvent } from "../../lib/correlate/correlator.ts";
import { parseDspamRecord } from "../../lib/parsers/dspam-record.ts";
import { parseEvent } from "../../lib/parsers/index.ts";
import { parseEnvelope } from "../../lib/syslog/envelope.ts";
import { YearResolver } from "../../lib/syslog/year-resolver.ts";

/** Parses real log lines into correlator events (syslog lines, or DSPAM system.log records). */
export function eventsFrom(lines: readonly string[], year: number, firstLineId = 1): CorrelatorEvent[] {
  const years = new YearResolver(new Date(year, 11, 31), year);
  const events: CorrelatorEvent[] = [];
  lines.forEach((line, index) => {
    const lineId = firstLineId + index;
    if (/^\d{9,12}\t/.test(line)) {
      const event = parseDspamRecord(line, "system");
      if (event.kind === "dspam.record")
        events.push({ lineId, ts: event.epoch * 1000, host: null, pid: null, event });
      return;
    }
    const envelope = parseEnvelope(line);
    // Ingest stores such lines as unrecognised and never hands them to the correlator.
    if (!envelope) return;
    const event = parseEvent(envelope.program, envelope.message);
    events.push({
      lineId,
      ts: years.toEpochMs(envelope.time),
      host: envelope.host,
      pid: envelope.pid,
      event,
    });
  });
  return events;
}

/** Runs events through a fresh correlator the way ingest does (time order), then hands out everything. */
export function correlate(
  events: readonly CorrelatorEvent[],
  options: ConstructorParameters<typeof Correlator>[0] = {},
) {
  const correlator = new Correlator(options);
  for (const event of [...events].sort((a, b) => a.ts - b.ts || a.lineId - b.lineId)) correlator.push(event);
  return collect(correlator.drain({ provisional: true }));
}

/** The latest version of every journey and training in a stream of outputs (later ones replace earlier). */
export function collect(outputs: readonly CorrelatorOutput[]) {
  const journeys = new Map<string, JourneyRecord>();
  const trainings = new Map<string, TrainingRecord>();
  const orphans: CorrelatorOutput[] = [];
  for (const output of outputs) {
    if (output.type === "journey") journeys.set(output.journey.key, output.journey);
    else if (output.type === "drop-journey") journeys.delete(output.key);
    else if (output.type === "training") trainings.set(output.training.key, output.training);
    else orphans.push(output);
  }
  return { journeys: [...journeys.values()], trainings: [...trainings.values()], orphans };
}

/** A compact view of a journey for assertions: queues with their links, final deliveries. */
export function summarise(journey: JourneyRecord) {
  return {
    messageId: journey.messageId,
    origin: journey.origin,
    queues: journey.queues.map((q) =>
      q.parent ? `${q.queueId} <-${q.parent.rule}/${q.parent.confidence}- ${q.parent.queueId}` : q.queueId,
    ),
    deliveries: journey.deliveries
      .filter((d) => d.destination !== "filter")
      .map(
        (d) =>
          `${d.queueId} ${d.recipient} ${d.destination} ${d.status}${d.mailbox ? ` ${d.mailbox.folder}` : ""}`,
      ),
  };
}
