// postsuper(1): an administrator removed, requeued, held or released a queue file.
import type { LogEvent, Postsuper } from "../../core/events.ts";
import { leadingQueueId, type PostfixTag } from "./shared.ts";

const ACTIONS = new Set<string>(["removed", "requeued", "placed on hold", "released from hold"]);
// Deleted: 115 messages   |   Requeued: 1 message   |   Placed on hold: 67 messages   |   Released from hold: 13 messages
const SUMMARY = /^(?:Deleted|Requeued|Placed on hold|Released from hold): \d{1,12} messages?$/;

/** Parses `QID: removed|requeued|placed on hold|released from hold` and the summary lines; null otherwise. */
// D4F2023DB: placed on hold
export function parsePostsuper(tag: PostfixTag, message: string): LogEvent | null {
  const queueId = leadingQueueId(message);
  if (queueId) {
    const action = message.slice(queueId.length + 2);
    if (!ACTIONS.has(action)) return null;
    return {
      kind: "postfix.postsuper",
      service: tag.service,
      daemon: tag.daemon,
      queueId,
      action: action as Postsuper["action"],
    };
  }
  if (SUMMARY.test(message)) {
    return {
      kind: "postfix.notice",
      service: tag.service,
      daemon: tag.daemon,
      category: "info",
      text: message,
    };
  }
  return null;
}
