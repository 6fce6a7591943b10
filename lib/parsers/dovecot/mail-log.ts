import type { DovecotMailLog, LogEvent } from "../../core/events.ts";
import { normaliseMessageId } from "../message-id.ts";
import { type DovecotPrefix, withProcess } from "./prefix.ts";

// mail_log plugin (src/plugins/mail-log/mail-log-plugin.c, 2.2/2.3): `EVENT: box=…, uid=…, msgid=…,
// size=…, vsize=…, from=…, subject=…, flags=(…)`, each field present only when listed in
// mail_log_fields (default: uid msgid size). From and Subject are free text and may hold ", ".

const EVENTS = new Set(["save", "expunge", "autoexpunge", "delete", "undelete", "flag_change", "append"]);
const FIELDS = ["box", "uid", "msgid", "size", "vsize", "from", "subject", "flags"] as const;
type Field = (typeof FIELDS)[number];
const MARKERS = FIELDS.map((key) => ({ key, first: `${key}=`, later: `, ${key}=` }));

/** True when the text after the prefix is a mail_log event line. */
// copy from INBOX: box=Junk, uid=3, msgid=<…>, size=1489, from=talent@recruiting.example.org, subject=Re: holiday schedule
export function isMailLogLine(text: string): boolean {
  const colon = text.indexOf(": ");
  if (colon <= 0 || colon > 80) return text.startsWith("Mailbox ");
  const head = text.slice(0, colon);
  return EVENTS.has(head) || head.startsWith("copy from ") || MAILBOX_EVENT.test(text);
}

// Mailbox created: Archive   |   Mailbox renamed: Old -> New   (mail-log-plugin.c formats; no public sample)
const MAILBOX_EVENT = /^Mailbox (created|deleted|renamed): (.*)$/s;

/** Parses a mail_log line of an imap/pop3/lmtp/lda process. */
export function parseMailLogLine(p: DovecotPrefix): LogEvent {
  if (p.user === undefined) return { kind: "unparsed", reason: "mail_log line without a user" };
  const event: DovecotMailLog = {
    kind: "dovecot.mail-log",
    service: p.service,
    user: p.user,
    event: "",
    messageId: null,
  };
  withProcess(event, p);
  const mailbox = MAILBOX_EVENT.exec(p.text);
  if (mailbox) {
    const name = mailbox[2] as string;
    event.event = `mailbox_${mailbox[1] === "created" ? "create" : mailbox[1] === "deleted" ? "delete" : "rename"}`;
    const arrow = event.event === "mailbox_rename" ? name.indexOf(" -> ") : -1;
    if (arrow === -1) event.mailbox = name;
    else {
      event.fromMailbox = name.slice(0, arrow);
      event.mailbox = name.slice(arrow + 4);
    }
    return event;
  }
  const colon = p.text.indexOf(": ");
  if (colon <= 0) return { kind: "unparsed", reason: "mail_log line without fields" };
  const head = p.text.slice(0, colon);
  const fields = splitFields(p.text.slice(colon + 2));
  event.event = head.startsWith("copy from ") ? "copy" : head === "append" ? "save" : head;
  if (fields.msgid !== undefined) event.messageId = normaliseMessageId(fields.msgid);
  if (head.startsWith("copy from ")) event.fromMailbox = head.slice(10);
  if (fields.box !== undefined) event.mailbox = fields.box;
  const uid = integer(fields.uid);
  if (uid !== undefined) event.uid = uid;
  const size = integer(fields.size);
  if (size !== undefined) event.size = size;
  const vsize = integer(fields.vsize);
  if (vsize !== undefined) event.vsize = vsize;
  if (fields.flags !== undefined) event.flags = fields.flags.replace(/^\(|\)$/g, "");
  if (fields.from !== undefined) event.from = fields.from;
  if (fields.subject !== undefined) event.subject = fields.subject;
  return event;
}

function integer(value: string | undefined): number | undefined {
  if (value === undefined || !/^\d{1,15}$/.test(value)) return undefined;
  return Number(value);
}

/**
 * Splits `box=…, uid=…, …` by the first `, key=` of each known key: a value runs to the next key's
 * marker, so commas inside From/Subject/mailbox names survive.
 */
// box=INBOX, uid=5, msgid=<…>, size=1967, from=newsletter@b2b-leads.example.biz, subject=Special offer, really
export function splitFields(text: string): Partial<Record<Field, string>> {
  const marks: { key: Field; at: number; start: number }[] = [];
  for (const { key, first, later } of MARKERS) {
    if (text.startsWith(first)) {
      marks.push({ key, at: 0, start: first.length });
      continue;
    }
    const at = text.indexOf(later);
    if (at !== -1) marks.push({ key, at, start: at + later.length });
  }
  // Usually already in order (the plugin's own field order); sort only when not.
  for (let i = 1; i < marks.length; i++) {
    if ((marks[i] as (typeof marks)[number]).at < (marks[i - 1] as (typeof marks)[number]).at) {
      marks.sort((a, b) => a.at - b.at);
      break;
    }
  }
  const out: Partial<Record<Field, string>> = {};
  for (let i = 0; i < marks.length; i++) {
    const mark = marks[i] as (typeof marks)[number];
    const next = marks[i + 1];
    out[mark.key] = text.slice(mark.start, next === undefined ? text.length : next.at);
  }
  return out;
}
