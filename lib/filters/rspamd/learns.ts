// A learn as the controller handled it: the task's Message-ID (loaded message line), the Bayes key
// it trained (stat_redis, when debug is on) and whether it learned or every classifier refused.

import type { LearnClass } from "./controller.ts";
import type { RspamdEvent } from "./index.ts";
import type { RspamdLine } from "./log-line.ts";

export type ControllerLearn = {
  taskId: string;
  messageId: string | null;
  /** The Bayes user the learn went to (lower-cased by Rspamd), when a stat_redis line named it. */
  user: string | null;
  learnClass: LearnClass | null;
  outcome: "learned" | "refused" | "unknown";
  /** Why a classifier refused (e.g. "already in class spam; probability 98.71%"). */
  reason: string | null;
};

/** What a learn is known to be so far, in a batch (above) or in the correlator's state. */
type LearnFacts = Pick<ControllerLearn, "messageId" | "user" | "learnClass" | "outcome" | "reason">;

/** Adds what one controller line says to its learn; false for a line that says nothing of it. */
export function foldLearnEvent(learn: LearnFacts, event: RspamdEvent): boolean {
  switch (event.kind) {
    case "rspamd.message":
      learn.messageId ??= event.messageId;
      return true;
    case "rspamd.bayes-key":
      learn.user ??= event.user;
      return true;
    case "rspamd.learned":
      learn.learnClass = event.learnClass;
      learn.outcome = "learned";
      learn.messageId ??= event.messageId;
      return true;
    case "rspamd.learn-skipped":
      learn.reason ??= event.reason;
      return true;
    case "rspamd.learn-denied":
      learn.learnClass = event.learnClass;
      learn.outcome = "refused";
      return true;
    default:
      return false;
  }
}

/** Folds the controller's lines of a batch into one learn per task id, in the order they started. */
export function controllerLearnsOf(
  items: readonly { line: RspamdLine; event: RspamdEvent }[],
): ControllerLearn[] {
  const learns = new Map<string, ControllerLearn>();
  for (const { line, event } of items) {
    if (line.taskId === null || !(line.process === "controller" || line.module === "csession")) continue;
    const learn = learns.get(line.taskId) ?? {
      taskId: line.taskId,
      messageId: null,
      user: null,
      learnClass: null,
      outcome: "unknown",
      reason: null,
    };
    if (!foldLearnEvent(learn, event)) continue;
    learns.set(line.taskId, learn);
  }
  // Tasks that only parsed a message (a scan through the controller, no learn) are not learns.
  return [...learns.values()].filter((learn) => learn.outcome !== "unknown" || learn.reason !== null);
}
