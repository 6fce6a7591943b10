import { readFileSync } from "node:fs";
import path from "node:path";
import type { JourneyRecord, TrainingRecord } from "../../lib/core/journey.ts";
import { Correlator } from "../../lib/correlate/correlator.ts";
import { LearnedContext } from "../../lib/store/detection.ts";
import { collect, eventsFrom } from "./correlate.ts";
import { LAB_LOGS, LAB_YEAR } from "./fixtures.ts";
import { bare, labTruth } from "./lab-truth.ts";

const read = (file: string) => readFileSync(path.join(LAB_LOGS, file), "utf8").split("\n").filter(Boolean);
const mailLog = read("var/log/mail.log");
const syslog = read("var/log/syslog");
const systemLog = read("var/spool/dspam/system.log");
const truth = labTruth();

/** The real lab lines of some messages (by truth.json key): their Postfix queues, Dovecot, DSPAM records, retraining. */
export function labLines(...keys: string[]): string[] {
  const messages = keys.map((key) => {
    const message = truth.messages.find((m) => m.key === key);
    if (!message) throw new Error(`no lab message ${key}`);
    return message;
  });
  const needles = messages.flatMap((m) => [bare(m.message_id), ...m.postfix_queue_ids]);
  const records = systemLog.filter((l) => needles.some((n) => l.includes(n)));
  const signatures = records.map((l) => l.split("\t")[3] ?? "").filter(Boolean);
  const related = [...needles, ...signatures];
  return [
    ...mailLog.filter((l) => related.some((n) => l.includes(n))),
    ...syslog.filter((l) => signatures.some((s) => l.includes(s))),
    ...records,
    ...systemLog.filter((l) => signatures.some((s) => l.includes(s)) && !records.includes(l)),
  ];
}

/** Runs real lines through the correlator and returns what the detectors get, with a context learnt from them. */
export function scenario(lines: readonly string[], year = LAB_YEAR) {
  const correlator = new Correlator();
  for (const event of eventsFrom(lines, year).sort((a, b) => a.ts - b.ts || a.lineId - b.lineId))
    correlator.push(event);
  const { journeys, trainings } = collect(correlator.drain({ provisional: true }));
  const context = new LearnedContext(() => correlator.localDomains());
  for (const journey of journeys) context.learn(journey);
  // The store resolves the classifying user from the signature's verdict; do the same here.
  const verdictUser = new Map(
    journeys.flatMap((j) => j.verdicts.map((v) => [v.signature, v.filterUser] as const)),
  );
  const resolved: TrainingRecord[] = trainings.map((t) => ({
    ...t,
    classifiedUser: verdictUser.get(t.signature) ?? null,
  }));
  return { journeys, trainings: resolved, context };
}

export const byMessage = (journeys: JourneyRecord[], messageId: string) =>
  journeys.find((j) => j.messageId === bare(messageId));
