// qmgr(8) / oqmgr(8): a queue file becomes active (from, size, nrcpt), is removed or expires.
import type { LogEvent, QmgrFrom, QueueExpired } from "../../core/events.ts";
import { parseDelivery } from "./delivery.ts";
import { leadingQueueId, type PostfixTag, unbracket, unparsed } from "./shared.ts";

/** Parses one qmgr message; null when it is none of qmgr's own shapes. */
export function parseQmgr(tag: PostfixTag, message: string): LogEvent | null {
  const queueId = leadingQueueId(message);
  if (!queueId) return null;
  const rest = message.slice(queueId.length + 2);
  // 08ACF1541B01: removed
  if (rest === "removed")
    return { kind: "postfix.removed", service: tag.service, daemon: tag.daemon, queueId };
  if (rest.startsWith("from=")) return parseFrom(tag, queueId, rest);
  // Older Postfix: qmgr itself logs "status=deferred (delivery temporarily suspended: …)".
  if (rest.startsWith("to=")) return parseDelivery(tag, queueId, rest);
  // ED06590130AA1C9D6D862: skipped, still being delivered
  if (rest === "skipped, still being delivered") {
    return {
      kind: "postfix.notice",
      service: tag.service,
      daemon: tag.daemon,
      category: "info",
      queueId,
      text: rest,
    };
  }
  return null;
}

// , size=1156, nrcpt=1 (queue active)
const SIZE = /^, size=(\d{1,15}), nrcpt=(\d{1,9})(?: \([^()]*\))?$/;

// 2BD192839B: from=<support@linode.com>, size=1156, nrcpt=1 (queue active)
// BACE842E73: from=<noreply@domain.com>, status=force-expired, returned to sender
function parseFrom(tag: PostfixTag, queueId: string, rest: string): QmgrFrom | QueueExpired | LogEvent {
  const statusAt = rest.lastIndexOf(", status=");
  if (statusAt !== -1) {
    const comma = rest.indexOf(", returned to sender", statusAt + 9);
    if (comma === -1) return unparsed("qmgr status line without 'returned to sender'");
    return {
      kind: "postfix.expired",
      service: tag.service,
      daemon: tag.daemon,
      queueId,
      from: unbracket(rest.slice(5, statusAt)),
      status: rest.slice(statusAt + 9, comma),
    };
  }
  const sizeAt = rest.lastIndexOf(", size=");
  const match = sizeAt === -1 ? null : SIZE.exec(rest.slice(sizeAt));
  if (!match) return unparsed("qmgr from= line without size= and nrcpt=");
  return {
    kind: "postfix.qmgr",
    service: tag.service,
    daemon: tag.daemon,
    queueId,
    from: unbracket(rest.slice(5, sizeAt)),
    size: Number(match[1]),
    nrcpt: Number(match[2]),
  };
}
