// bounce(8) / defer / trace: the notification a queue file caused, and the queue file carrying it.
import type { BounceNotification } from "../../core/events.ts";
import { isQueueId, leadingQueueId, type PostfixTag } from "./shared.ts";

// sender non-delivery notification: 8C06E19C1F72   |   postmaster non-delivery notification: 47335405A44
// sender delay notification: 0A87A1A08   |   sender delivery status notification: 1DF35917
const NOTIFICATION = /^((?:sender|postmaster) [a-z -]{1,40} notification): /;

/** Parses `QID: sender non-delivery notification: NEWID` and its variants; null for other shapes. */
export function parseBounce(tag: PostfixTag, message: string): BounceNotification | null {
  const queueId = leadingQueueId(message);
  if (!queueId) return null;
  const rest = message.slice(queueId.length + 2);
  const match = NOTIFICATION.exec(rest);
  if (!match) return null;
  const newQueueId = rest.slice(match[0].length);
  if (!isQueueId(newQueueId)) return null;
  return {
    kind: "postfix.bounce",
    service: tag.service,
    daemon: tag.daemon,
    queueId,
    notification: match[1] as string,
    newQueueId,
  };
}
