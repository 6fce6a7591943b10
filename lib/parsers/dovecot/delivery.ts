import type { DovecotSaved, DovecotSieve, LogEvent } from "../../core/events.ts";
import { normaliseMessageId } from "../message-id.ts";
import { type DovecotPrefix, withProcess } from "./prefix.ts";

// LDA/LMTP delivery lines (deliver_log_format = "msgid=%m: %$", src/lib-lda/mail-deliver.c) and
// Pigeonhole's sieve action log (sieve-actions.c, sieve-result.c, cmd-redirect.c, cmd-vacation.c).

type MsgidSplit = { messageId: string | null; rest: string };

/** Splits `msgid=<…>: rest` (the part after `msgid=`); `unspecified` is Dovecot's word for no Message-ID. */
// <20261122032656.b32f2b3f2c.b01@partner.example.org>: stored mail into mailbox 'INBOX'
export function splitMsgid(text: string): MsgidSplit | null {
  let end: number;
  if (text.startsWith("<")) {
    const close = text.indexOf(">: ");
    end = close === -1 ? -1 : close + 1;
  } else {
    end = text.indexOf(": ");
  }
  if (end === -1) return null;
  const raw = text.slice(0, end);
  return { messageId: raw === "unspecified" ? null : normaliseMessageId(raw), rest: text.slice(end + 2) };
}

/** `msgid=<…>: saved mail to INBOX` / `save failed to INBOX: …` / `save failed to open mailbox X: …`. */
// msgid=<20200603104059.A48191855DA0@mail.sender.com>: saved mail to INBOX
export function parseDeliveryLine(p: DovecotPrefix): LogEvent {
  if (p.user === undefined) return { kind: "unparsed", reason: "dovecot delivery line without a user" };
  const split = splitMsgid(p.text.slice("msgid=".length));
  if (!split) return { kind: "unparsed", reason: "dovecot msgid= line without ': '" };
  const { messageId } = split;
  // A custom deliver_log_format may put more fields before the %$ text: look for it.
  // saved mail to INBOX   |   save failed to INBOX: Quota exceeded (mailbox for user is full)
  let rest = split.rest;
  if (!/^(?:saved mail to |save failed to )/i.test(rest)) {
    const at = Math.max(rest.lastIndexOf(": saved mail to "), rest.lastIndexOf(": save failed to "));
    if (at === -1) return { kind: "unparsed", reason: "dovecot msgid= line without saved/save failed" };
    rest = rest.slice(at + 2);
  }
  const event: DovecotSaved = {
    kind: "dovecot.saved",
    service: p.service,
    user: p.user,
    messageId,
    mailbox: "",
    ok: true,
  };
  withProcess(event, p);
  if (/^saved mail to /i.test(rest)) {
    event.mailbox = unquote(rest.slice(14));
    return event;
  }
  let failed = rest.slice("save failed to ".length);
  if (failed.startsWith("open mailbox ")) failed = failed.slice(13);
  const colon = failed.indexOf(": ");
  event.mailbox = unquote(colon === -1 ? failed : failed.slice(0, colon));
  event.ok = false;
  event.error = colon === -1 ? "" : failed.slice(colon + 2);
  return event;
}

const unquote = (box: string) =>
  box.length >= 2 && box.startsWith("'") && box.endsWith("'") ? box.slice(1, -1) : box;

/** Pigeonhole's `sieve: msgid=…: [<action> action: ]text` lines. */
// sieve: msgid=<…@secure-verify.example.top>: fileinto action: stored mail into mailbox 'Junk'
export function parseSieveLine(p: DovecotPrefix): LogEvent {
  if (p.user === undefined) return { kind: "unparsed", reason: "sieve line without a user" };
  const split = splitMsgid(p.text.slice("sieve: msgid=".length));
  if (!split) return { kind: "unparsed", reason: "sieve msgid= line without ': '" };
  let text = split.rest;
  let explicit: string | undefined;
  const actionAt = text.indexOf(" action: ");
  if (actionAt > 0 && actionAt <= 24 && !text.slice(0, actionAt).includes(" ")) {
    explicit = text.slice(0, actionAt);
    text = text.slice(actionAt + 9);
  }
  // Newer Pigeonhole capitalises the first word ("Stored mail into mailbox").
  text = text.charAt(0).toLowerCase() + text.slice(1);
  const event: DovecotSieve = {
    kind: "dovecot.sieve",
    service: p.service,
    user: p.user,
    messageId: split.messageId,
    action: explicit ?? "keep",
    ok: true,
  };
  withProcess(event, p);
  describeAction(event, text, explicit);
  return event;
}

const STORE_FAILED = "failed to store into mailbox ";

// stored mail into mailbox 'INBOX'   |   forwarded to <x@y>   |   sent vacation response to <x@y>
function describeAction(event: DovecotSieve, text: string, explicit: string | undefined): void {
  if (text.startsWith("stored mail into mailbox ")) {
    event.mailbox = mailboxOf(text.slice(25));
  } else if (text.startsWith("left message in mailbox ")) {
    event.mailbox = mailboxOf(text.slice(24));
    event.detail = text;
  } else if (text.startsWith(STORE_FAILED)) {
    const close = mailboxAndError(text.slice(STORE_FAILED.length));
    event.mailbox = close.mailbox;
    event.ok = false;
    event.error = close.error;
  } else if (text.startsWith("store into mailbox ")) {
    const skipped = text.endsWith(" skipped");
    const aborted = text.endsWith(" aborted");
    event.mailbox = mailboxOf(text.slice(19, text.length - (skipped || aborted ? 8 : 0)));
    event.ok = false;
    event.error = skipped ? "skipped" : "aborted";
  } else if (text.startsWith("forwarded to ")) {
    event.action = explicit ?? "redirect";
    setTarget(event, text);
  } else if (text.startsWith("sent vacation response to ")) {
    event.action = explicit ?? "vacation";
    setTarget(event, text);
  } else if (text.startsWith("discarded duplicate vacation response to ")) {
    event.action = explicit ?? "vacation";
    setTarget(event, text);
    event.detail = text;
  } else if (text.startsWith("marked message to be discarded")) {
    event.action = explicit ?? "discard";
  } else if (text.startsWith("rejected message from ")) {
    event.action = explicit ?? "reject";
    setTarget(event, text);
    // rejected message from <x@example.org> (spam)   (Pigeonhole format; no public sample)
    const reason = /\((.*)\)$/s.exec(text);
    if (reason) event.detail = reason[1] as string;
  } else if (text.startsWith("failed to ")) {
    failedAction(event, text, explicit);
  } else {
    event.action = explicit ?? "other";
    event.detail = text;
  }
}

// failed to redirect message to <x@y>: …   |   failed to send vacation response to <x@y>: …
function failedAction(event: DovecotSieve, text: string, explicit: string | undefined): void {
  // failed to send vacation response to <x@example.org>: …   (Pigeonhole format; no public sample)
  const verb = /^failed to (?:send )?(\w+)/.exec(text)?.[1] ?? "";
  event.action =
    explicit ??
    (verb === "redirect" || verb === "forward"
      ? "redirect"
      : verb === "vacation"
        ? "vacation"
        : verb === "rejection"
          ? "reject"
          : "other");
  setTarget(event, text);
  event.ok = false;
  const colon = text.indexOf(": ");
  event.error = colon === -1 ? text : text.slice(colon + 2);
}

function setTarget(event: DovecotSieve, text: string): void {
  const target = addressOf(text);
  if (target !== undefined) event.target = target;
}

// 'INBOX'  |  'INBOX.Spam' (INBOX/Spam)   — the name the script used, quotes removed
function mailboxOf(text: string): string {
  if (!text.startsWith("'")) return text;
  if (text.endsWith("'") && text.length >= 2) return text.slice(1, -1);
  const close = text.lastIndexOf("' (");
  return close > 0 ? text.slice(1, close) : text.slice(1);
}

// 'Junk': Mailbox doesn't exist: Junk
function mailboxAndError(text: string): { mailbox: string; error: string } {
  const close = text.startsWith("'") ? text.indexOf("': ", 1) : -1;
  if (close !== -1) return { mailbox: text.slice(1, close), error: text.slice(close + 3) };
  const colon = text.indexOf(": ");
  if (colon === -1) return { mailbox: mailboxOf(text), error: "" };
  return { mailbox: mailboxOf(text.slice(0, colon)), error: text.slice(colon + 2) };
}

function addressOf(text: string): string | undefined {
  const open = text.indexOf("<");
  if (open === -1) return undefined;
  const close = text.indexOf(">", open + 1);
  return close === -1 ? undefined : text.slice(open + 1, close);
}
