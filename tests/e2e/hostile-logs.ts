import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { labLines } from "../helpers/scenario.ts";

// Real lab lines (two messages: the duplicate delivery to the pager, and bob's misdirected
// retraining) moved one day later, with new queue ids and signatures, and attacker-controlled values
// substituted where an attacker controls them: Message-IDs, addresses, DSPAM's Subject and From,
// Dovecot's subject, the IMAP login. Every payload sets window[PWNED] if it ever runs; bidi
// overrides and terminal escapes try to make a value read differently than it is.

/** The window property a payload sets when it executes. */
export const PWNED = "__spamtrailPwned";
const run = (n: number) => `window.${PWNED}=${n}`;

export const HOSTILE = {
  /** Replaces the duplicate message's Message-ID (no ">": the first <…> group is the Message-ID). */
  messageId: `a"b'c<img/src=x/onerror=${run(1)}?q=%2F../#frag+plus/slash\u202egpj.exe\u001b[31m@evil.example`,
  /** Replaces the retrained message's Message-ID: a javascript: URL, 1.5 kB long. */
  longMessageId: `javascript:${run(2)}//${"x".repeat(1500)}@evil.example`,
  /** DSPAM's Subject field of every record (5 kB). */
  subject: `Re: invoice\u202egpj.exe <script>${run(3)}</script><img src=x onerror="${run(4)}"> ${"overlong ".repeat(550)}`,
  /** DSPAM's From field. */
  from: `"><svg/onload=${run(5)}> <javascript:alert(1)@evil.example>`,
  /** Dovecot's subject= in the IMAP lines. */
  dovecotSubject: `<script>${run(6)}</script>\u2067hidden\u2069\u200b`,
  /** The envelope sender. */
  sender: `javascript:${run(7)}//\u202etxt.exe@evil.example`,
  /** The pager address the alias forwards to (recipient, DSPAM user, data directory). */
  recipient: `"onfocus=${run(8)}"autofocus=""@pager.example.net`,
  /** The IMAP login that retrains (as DSPAM user too). */
  login: `bob<img/src=x/onerror=${run(9)}\u202e\u0007`,
} as const;

const DUPLICATE = "B-in-bob-ham-1";
const RETRAINED = "B-in-bob-border-1";
const DAY = 86_400;

function substitute(line: string, index: number): string {
  let out = line
    .replaceAll("Nov 22 ", "Nov 23 ")
    .replaceAll("2026-11-22T", "2026-11-23T")
    .replace(/^(\d{10})\t/, (_, epoch: string) => `${Number(epoch) + DAY}\t`)
    .replace(/\b([0-9A-F]{11})\b/g, (id: string) => `EE${id.slice(2)}`)
    .replaceAll("6b0261", "7c0261")
    .replaceAll("20261122032656.5f903295ed.b07@supplier.example.net", HOSTILE.messageId)
    .replaceAll("20261122032656.c7cbc0946a.b11@b2b-leads.example.biz", HOSTILE.longMessageId)
    .replaceAll("bob.oncall@pager.example.net", HOSTILE.recipient)
    .replace(/subject=.*$/, `subject=${HOSTILE.dovecotSubject}`)
    .replace(/imap\(bob\)/g, `imap(${HOSTILE.login})`)
    .replace(/--user bob /, `--user ${HOSTILE.login} `)
    .replace(/\/data\/bob\/bob\.sig\//, `/data/${HOSTILE.login}/${HOSTILE.login}.sig/`);
  if (!/^\d{10}\t/.test(out)) out = out.replaceAll("anna@supplier.example.net", HOSTILE.sender);
  // DSPAM record: time, class, From, signature, Subject, … (TAB separated).
  const fields = out.split("\t");
  if (/^\d{10}$/.test(fields[0] ?? "") && fields.length >= 7) {
    fields[2] = HOSTILE.from;
    // The first record stays short: ingest recognises a DSPAM log by its first 4 kB.
    fields[4] = index === 0 ? HOSTILE.subject.slice(0, 120) : HOSTILE.subject;
    out = fields.join("\t");
  }
  return out;
}

/** Writes the hostile copies of the two lab messages into dir (mail.log, syslog, dspam/system.log). */
export function writeHostileLogs(dir: string): string[] {
  const lines = labLines(DUPLICATE, RETRAINED);
  const records = lines.filter((l) => /^\d{10}\t/.test(l)).map(substitute);
  const others = lines.filter((l) => !/^\d{10}\t/.test(l)).map((l) => substitute(l, -1));
  const rfc3339 = others.filter((l) => /^\d{4}-\d{2}-\d{2}T/.test(l));
  const classic = others.filter((l) => !rfc3339.includes(l));
  mkdirSync(path.join(dir, "dspam"), { recursive: true });
  const files = [path.join(dir, "mail.log"), path.join(dir, "syslog"), path.join(dir, "dspam", "system.log")];
  writeFileSync(files[0] as string, `${classic.join("\n")}\n`);
  writeFileSync(files[1] as string, `${rfc3339.join("\n")}\n`);
  writeFileSync(files[2] as string, `${records.join("\n")}\n`);
  return files;
}
