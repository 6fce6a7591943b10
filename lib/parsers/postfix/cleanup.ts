// cleanup(8): message-id / resent-message-id of each queue file, header/body check actions and
// milter actions.
import type { CleanupMessageId, LogEvent, PostfixAction } from "../../core/events.ts";
import { normaliseMessageId } from "../message-id.ts";
import { clientFields, leadingQueueId, type PostfixTag, replyCodes, wholeClient } from "./shared.ts";
import { parseTail, parseWhatsup, readAction, type TailFields } from "./whatsup.ts";

/** Parses one cleanup message; null when it is none of cleanup's own shapes. */
export function parseCleanup(tag: PostfixTag, message: string): LogEvent | null {
  const queueId = leadingQueueId(message);
  if (!queueId) return null;
  const rest = message.slice(queueId.length + 2);
  if (rest.startsWith("message-id=")) return messageId(tag, queueId, rest.slice(11), false);
  if (rest.startsWith("resent-message-id=")) return messageId(tag, queueId, rest.slice(18), true);
  const head = readAction(rest);
  if (!head) return null;
  if (head.body.startsWith("header ") || head.body.startsWith("body ")) {
    return parseCheck(tag, queueId, head.action, head.body);
  }
  // B37FD2E05B9: milter-reject: END-OF-MESSAGE from h-ca74a0a011076cd81347f8f11e[254.65.43.194]: 4.7.1 Try again later; from=<…> to=<…> proto=ESMTP helo=<…>
  return parseWhatsup(tag, queueId, head.action, head.body, " ");
}

// 0F5383D: message-id=<544D2523.30609@rhsoft.net>   |   AF98F2E0768: message-id=2021-01-25 10:00:05.006274   |   A55EA2E01B5: message-id=
function messageId(tag: PostfixTag, queueId: string, raw: string, resent: boolean): CleanupMessageId {
  return {
    kind: "postfix.message-id",
    service: tag.service,
    daemon: tag.daemon,
    queueId,
    messageId: normaliseMessageId(raw),
    messageIdRaw: raw,
    resent,
  };
}

/**
 * `ACTION: header|body CONTENT from CLIENT; from=<…> to=<…> proto=… helo=<…>[: TEXT]` (cleanup_act_log).
 * CONTENT is the matched header or body line (cut at 200 characters) and may itself hold " from ".
 */
// 27937120C92: replace: header MIME-Version: 1.0 from unknown[172.19.0.1]; from=<hola@fonotarot.cl> to=<mariohernandezc@gmail.com> proto=ESMTP helo=<lin2.156.cl>: MIME-Version: 1.0
function parseCheck(tag: PostfixTag, queueId: string, action: string, body: string): PostfixAction | null {
  const split = findClient(body);
  if (!split) return null;
  const space = body.indexOf(" ");
  const after = body.slice(split.semicolon + 1);
  let reply = "";
  let tail: TailFields = {};
  if (after.startsWith(" ")) {
    const parsed = parseTail(after.slice(1), " ", true);
    tail = parsed.fields;
    reply = parsed.rest ?? "";
  } else if (after.startsWith(": ")) {
    reply = after.slice(2);
  }
  const event: PostfixAction = {
    kind: "postfix.action",
    service: tag.service,
    daemon: tag.daemon,
    queueId,
    action,
    stage: body.slice(0, space),
    ...split.client,
    ...replyCodes(reply),
    reply,
    checked: body.slice(space + 1, split.from),
    ...tail,
  };
  return event;
}

type ClientSplit = {
  from: number;
  semicolon: number;
  client: { clientName: string; clientIp?: string; clientPort?: number };
};

// The first ";" that follows " from name[addr]" or " from local" ends the checked content.
function findClient(body: string): ClientSplit | null {
  let semicolon = body.indexOf(";");
  for (let tries = 0; semicolon !== -1 && tries < 20; tries++) {
    const from = body.lastIndexOf(" from ", semicolon);
    if (from !== -1) {
      const text = body.slice(from + 6, semicolon);
      if (text === "local") return { from, semicolon, client: { clientName: "local" } };
      const client = wholeClient(text);
      if (client) return { from, semicolon, client: clientFields(client) };
    }
    semicolon = body.indexOf(";", semicolon + 1);
  }
  return null;
}
