// smtpd(8): sessions (connect, disconnect with command counters), client= of each queued message,
// log_whatsup actions (NOQUEUE or queued reject/defer/hold/discard/filter/milter-*/proxy-*),
// SASL failures and the "<problem> after <stage> from <client>" lines.
import type {
  ConnectionProblem,
  LogEvent,
  SaslFailure,
  SmtpdClient,
  SmtpdConnect,
  SmtpdDisconnect,
} from "../../core/events.ts";
import {
  type Client,
  clientFields,
  leadingQueueId,
  type PostfixTag,
  readClient,
  wholeClient,
} from "./shared.ts";
import { parseWhatsup, readAction } from "./whatsup.ts";

/** Parses one smtpd message; null when it is none of smtpd's own shapes (generic notices get a try). */
export function parseSmtpd(tag: PostfixTag, message: string): LogEvent | null {
  switch (message.charCodeAt(0)) {
    case 99: // c
      if (message.startsWith("connect from ")) return parseConnect(tag, message);
      break;
    case 100: // d
      if (message.startsWith("disconnect from ")) return parseDisconnect(tag, message);
      break;
    case 119: // w
      if (message.startsWith("warning: ")) return parseSaslFailure(tag, message);
      return null;
    case 78: // N
      if (message.startsWith("NOQUEUE: ")) return parseQueued(tag, null, message.slice(9));
      break;
    case 112: // p
      if (message.startsWith("proxy-")) return parseQueued(tag, null, message);
      break;
  }
  const queueId = leadingQueueId(message);
  if (queueId) return parseQueued(tag, queueId, message.slice(queueId.length + 2));
  return parseProblem(tag, message);
}

function parseQueued(tag: PostfixTag, queueId: string | null, rest: string): LogEvent | null {
  if (queueId && rest.startsWith("client=")) return parseClientLine(tag, queueId, rest);
  const head = readAction(rest);
  if (head) return parseWhatsup(tag, queueId, head.action, head.body, " ");
  // NOQUEUE: lost connection after CONNECT from unknown[192.0.2.25]
  return parseProblem(tag, rest);
}

// connect from unknown[1002:1712:4e2b:d061:5dff:19f:c85f:a48f]
function parseConnect(tag: PostfixTag, message: string): SmtpdConnect | null {
  const client = wholeClient(message.slice(13));
  if (!client) return null;
  return { kind: "postfix.connect", service: tag.service, daemon: tag.daemon, ...clientFields(client) };
}

// disconnect from unknown[11.22.33.44] ehlo=2 starttls=1 auth=1 mail=1 rcpt=1 data=1 quit=1 commands=8
function parseDisconnect(tag: PostfixTag, message: string): SmtpdDisconnect | null {
  const client = readClient(message, 16);
  if (!client) return null;
  const commands: Record<string, string> = {};
  if (client.end < message.length) {
    if (message.charCodeAt(client.end) !== 32) return null;
    for (const pair of message.slice(client.end + 1).split(" ")) {
      const eq = pair.indexOf("=");
      if (eq <= 0) return null;
      commands[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return {
    kind: "postfix.disconnect",
    service: tag.service,
    daemon: tag.daemon,
    ...clientFields(client),
    commands,
  };
}

type ClientKey = "saslMethod" | "saslUsername" | "saslSender" | "origQueueId";
const CLIENT_KEYS: Record<string, ClientKey | "origClient"> = {
  sasl_method: "saslMethod",
  sasl_username: "saslUsername",
  sasl_sender: "saslSender",
  orig_queue_id: "origQueueId",
  orig_client: "origClient",
};

// 2BD192839B: client=host.example.com[192.0.2.5], sasl_method=PLAIN, sasl_username=email1@example.com
// ED01244770: client=localhost[127.0.0.1], orig_queue_id=4F5C64474F, orig_client=unknown[28.55.140.112]
function parseClientLine(tag: PostfixTag, queueId: string, rest: string): SmtpdClient | null {
  const client = readClient(rest, 7);
  if (!client) return null;
  const event: SmtpdClient = {
    kind: "postfix.client",
    service: tag.service,
    daemon: tag.daemon,
    queueId,
    ...clientFields(client),
  };
  if (client.end === rest.length) return event;
  if (!rest.startsWith(", ", client.end)) return null;
  let last: ClientKey | null = null;
  for (const part of rest.slice(client.end + 2).split(", ")) {
    const eq = part.indexOf("=");
    const key = eq > 0 ? CLIENT_KEYS[part.slice(0, eq)] : undefined;
    if (key === "origClient") {
      const orig = wholeClient(part.slice(eq + 1));
      if (!orig) return null;
      event.origClientName = orig.name;
      event.origClientIp = orig.ip;
      last = null;
    } else if (key) {
      event[key] = part.slice(eq + 1);
      last = key;
    } else if (last === "saslUsername" || last === "saslSender") {
      event[last] = `${event[last]}, ${part}`; // a login name with ", " in it
    } else {
      return null;
    }
  }
  return event;
}

// warning: unknown[192.0.2.237]:55729: SASL LOGIN authentication failed: authentication failure
// warning: unknown[192.0.2.200]: SASL LOGIN authentication failed: (reason unavailable), sasl_username=admin
const SASL = /^: SASL ([^ ]{1,40}) authentication failed(?::(?: |$)|$)/;

function parseSaslFailure(tag: PostfixTag, message: string): SaslFailure | null {
  const client = readClient(message, 9);
  if (!client) return null;
  const match = SASL.exec(message.slice(client.end, client.end + 80));
  if (!match) return null;
  let reason = message.slice(client.end + match[0].length);
  const event: SaslFailure = {
    kind: "postfix.sasl-failure",
    service: tag.service,
    daemon: tag.daemon,
    ...clientFields(client),
    mechanism: match[1] as string,
    reason,
  };
  const user = reason.lastIndexOf(", sasl_username=");
  if (user !== -1) {
    event.saslUsername = reason.slice(user + 16);
    reason = reason.slice(0, user);
    event.reason = reason;
  }
  return event;
}

// lost connection after DATA (7774180 bytes) from unknown[72.13.58.7]
// improper command pipelining after EHLO from unknown[2001:968:9999:20:415c:cd2:da8e:d0cf]: MAIL FROM:<>
const PROBLEM =
  /^(lost connection|timeout|too many errors|improper command pipelining|bare <LF> received) after ([A-Za-z0-9._-]{0,40})(?: \(([^()]{0,60})\))? from /;

function parseProblem(tag: PostfixTag, message: string): ConnectionProblem | null {
  const match = PROBLEM.exec(message);
  if (!match) return null;
  const client: Client | null = readClient(message, match[0].length);
  if (!client) return null;
  let detail = match[3];
  if (client.end < message.length) {
    if (message.charCodeAt(client.end) !== 58) return null;
    const text = message.slice(client.end + 1).trimStart();
    if (text !== "") detail = detail === undefined ? text : `${detail}: ${text}`;
  }
  const event: ConnectionProblem = {
    kind: "postfix.connection-problem",
    service: tag.service,
    daemon: tag.daemon,
    problem: match[1] as ConnectionProblem["problem"],
    stage: match[2] as string,
    ...clientFields(client),
  };
  if (detail !== undefined) event.detail = detail;
  return event;
}
