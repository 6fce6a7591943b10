// pickup(8): a message submitted with sendmail/postdrop enters the queue (also DSPAM's re-injection
// through sendmail, and postsuper -r requeues with orig_id=).
import type { Pickup } from "../../core/events.ts";
import { leadingQueueId, type PostfixTag, unbracket } from "./shared.ts";

// uid=107 from=<mark@myothertestdomain.co.uk>   |   uid=0 from=<root> orig_id=3mKxs308vpz7sXd
const UID = /^uid=(\d{1,10}) from=/;

/** Parses one pickup message (`QID: uid=N from=<S>[ orig_id=Q]`); null for other shapes. */
export function parsePickup(tag: PostfixTag, message: string): Pickup | null {
  const queueId = leadingQueueId(message);
  if (!queueId) return null;
  const rest = message.slice(queueId.length + 2);
  const match = UID.exec(rest);
  if (!match) return null;
  let from = rest.slice(match[0].length);
  let origQueueId: string | undefined;
  const orig = from.lastIndexOf(" orig_id=");
  if (orig !== -1) {
    origQueueId = from.slice(orig + 9);
    from = from.slice(0, orig);
  }
  const event: Pickup = {
    kind: "postfix.pickup",
    service: tag.service,
    daemon: tag.daemon,
    queueId,
    uid: Number(match[1]),
    from: unbracket(from),
  };
  if (origQueueId !== undefined) event.origQueueId = origQueueId;
  return event;
}
