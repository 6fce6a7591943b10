// log_whatsup(): the `ACTION: STAGE from CLIENT: TEXT; from=<…> to=<…> proto=… helo=<…>` lines of
// smtpd (space-separated tail), postscreen (comma-separated tail) and cleanup's milter actions.
import type { PostfixAction } from "../../core/events.ts";
import { clientFields, type PostfixTag, queuedAsIn, readClient, replyCodes, unbracket } from "./shared.ts";

export type TailFields = { from?: string; to?: string; proto?: string; helo?: string; saslUsername?: string };

// Postfix writes these keys in this order (smtpd_check.c log_whatsup, smtpd.c milter whatsup).
const KEYS = ["from=", "to=", "proto=", "helo=", "sasl_username="] as const;
const FIELD: Record<(typeof KEYS)[number], keyof TailFields> = {
  "from=": "from",
  "to=": "to",
  "proto=": "proto",
  "helo=": "helo",
  "sasl_username=": "saslUsername",
};

const keyIndexAt = (text: string, at: number, first: number) => {
  for (let k = first; k < KEYS.length; k++) if (text.startsWith(KEYS[k] as string, at)) return k;
  return -1;
};

/**
 * Parses `from=<a> to=<b> proto=ESMTP helo=<h>` (sep " ") or `from=<a>, to=<b>, …` (sep ", ").
 * Values run to the next known key, so quoted local parts with spaces survive. With `trailer`,
 * a `: text` after the last bracketed value (cleanup's header-check lines) is returned as `rest`.
 */
export function parseTail(tail: string, sep: string, trailer = false): { fields: TailFields; rest?: string } {
  const fields: TailFields = {};
  let k = keyIndexAt(tail, 0, 0);
  let pos = 0;
  while (k !== -1) {
    const key = KEYS[k] as (typeof KEYS)[number];
    const valueStart = pos + key.length;
    let next = -1;
    let nextK = -1;
    for (let j = k + 1; j < KEYS.length; j++) {
      const at = tail.indexOf(sep + KEYS[j], valueStart);
      if (at !== -1 && (next === -1 || at < next)) {
        next = at;
        nextK = j;
      }
    }
    if (next === -1) {
      const last = lastValue(tail.slice(valueStart), trailer);
      fields[FIELD[key]] = unbracket(last.value);
      return last.rest === undefined ? { fields } : { fields, rest: last.rest };
    }
    fields[FIELD[key]] = unbracket(tail.slice(valueStart, next));
    pos = next + sep.length;
    k = nextK;
  }
  return { fields };
}

// helo=<lin2.156.cl>: MIME-Version: 1.0   → value <lin2.156.cl>, rest "MIME-Version: 1.0"
function lastValue(text: string, trailer: boolean): { value: string; rest?: string } {
  if (!trailer) return { value: text };
  const cut = text.startsWith("<") ? text.indexOf(">: ") + 1 : text.indexOf(": ");
  return cut > 0 ? { value: text.slice(0, cut), rest: text.slice(cut + 2) } : { value: text };
}

/** Splits `TEXT; from=<…> …` into the reply text and the tail; the first `; key=` starts the tail. */
export function splitReplyTail(text: string, sep: string): { reply: string; fields: TailFields } {
  let at = text.indexOf(";");
  while (at !== -1) {
    if (at === text.length - 1) return { reply: text.slice(0, at), fields: {} };
    if (text.charCodeAt(at + 1) === 32 && keyIndexAt(text, at + 2, 0) !== -1) {
      return { reply: text.slice(0, at), fields: parseTail(text.slice(at + 2), sep).fields };
    }
    at = text.indexOf(";", at + 1);
  }
  return { reply: text, fields: {} };
}

const isStageChar = (c: number) => (c >= 65 && c <= 90) || c === 45 || c === 95;

/**
 * Parses what follows `QID: ACTION: ` in a log_whatsup line: `STAGE from CLIENT: TEXT; tail`, or
 * `STAGE: TEXT; tail` (proxy-accept / proxy-reject have no client). Null if it is not that shape.
 */
// RCPT from unknown[192.0.2.116]: 504 5.5.2 <WIN-6A0KEE6QVP5>: Helo command rejected: need fully-qualified hostname; from=<spameri@example.com> to=<spameri@example.com> proto=ESMTP helo=<WIN-6A0KEE6QVP5>
export function parseWhatsup(
  tag: PostfixTag,
  queueId: string | null,
  action: string,
  body: string,
  sep: string,
): PostfixAction | null {
  let end = 0;
  while (end < body.length && end < 40 && isStageChar(body.charCodeAt(end))) end++;
  if (end === 0) return null;
  const stage = body.slice(0, end);
  let client: ReturnType<typeof readClient> = null;
  let textStart: number;
  if (body.startsWith(" from ", end)) {
    client = readClient(body, end + 6);
    if (!client) return null;
    textStart = client.end;
  } else {
    textStart = end;
  }
  let text: string;
  if (body.startsWith(": ", textStart)) text = body.slice(textStart + 2);
  else if (textStart === body.length || body.charCodeAt(textStart) === 58) text = body.slice(textStart + 1);
  else return null;
  const { reply, fields } = splitReplyTail(text, sep);
  const event: PostfixAction = {
    kind: "postfix.action",
    service: tag.service,
    daemon: tag.daemon,
    queueId,
    action,
    stage,
    // postscreen's clients are `[addr]:port`, without a name
    ...(client
      ? client.name === ""
        ? { clientIp: client.ip, clientPort: client.port }
        : clientFields(client)
      : {}),
    ...replyCodes(reply),
    reply,
    ...fields,
  };
  if (action === "proxy-accept") {
    const queuedAs = queuedAsIn(reply);
    if (queuedAs) event.queuedAs = queuedAs;
  }
  return event;
}

// NOQUEUE: reject_warning: RCPT from example.com[93.184.216.34]: 553 5.7.1 <sender@example.com>: Sender address rejected: …
// (matches "reject_warning: "; likewise reject, defer, hold, discard, filter, redirect, milter-reject, proxy-accept)
const ACTION = /^([a-z][a-z_-]{1,30}): /;

/** The action word at the start of `text` (after the queue id), with the text after it. */
export function readAction(text: string): { action: string; body: string } | null {
  const match = ACTION.exec(text);
  if (!match) return null;
  return { action: match[1] as string, body: text.slice(match[0].length) };
}
