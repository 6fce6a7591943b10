// Real lab lines with hostile values substituted: a message whose SASL login, Message-ID, sender,
// recipient and subject are markup, script URLs and overlong text, and a retraining by a hostile
// IMAP login. Written as log files in a directory that ingestLogs reads like the real sample.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { LAB_LOGS } from "../helpers/fixtures.ts";

export type HostileValues = {
  sasl: string;
  messageId: string;
  from: string;
  to: string;
  headerFrom: string;
  subject: string;
};

/** Values a stranger controls, meant to break out of HTML text, attributes and URLs. */
export const HOSTILE: HostileValues = {
  sasl: "<script>alert(1)</script>",
  messageId: `javascript:alert(1)//"'&<b@evil.example`,
  from: `"><img src=x onerror=alert(1)>@evil.example`,
  to: "<svg/onload=alert(2)>@partner.example.org",
  headerFrom: "<script>alert('from')</script>",
  subject: `\u202eevil\u001b[31m <script>alert("subject")</script> "><img src=x onerror=alert(3)> javascript:alert(4)`,
};

/** Overlong values (and one control character) in the same places. */
export const OVERLONG: HostileValues = {
  sasl: `${"s".repeat(300)}@example.com`,
  messageId: `${"m".repeat(400)}@long.example`,
  from: `${"f".repeat(300)}@long.example`,
  to: `k.${"y".repeat(200)}@partner.example.org`,
  headerFrom: "Long Sender <long@long.example>",
  subject: `Overlong ${"subject ".repeat(80)}end`,
};

/** The IMAP login of the hostile retraining (no parentheses or angle brackets: Dovecot's prefix keeps it whole). */
export const HOSTILE_LOGIN = `javascript:"onmouseover='alert&#40;1&#41;'&amp;`;

const SIGNATURES = {
  a: "6b026111291101904219991",
  b: "6b026111291101904219992",
  c: "6b026111291101904219993",
};

type When = { day: number; hour: number; minute: number };
const two = (n: number) => String(n).padStart(2, "0");

function slice(lines: string[], first: string, last: string, before = 0): string[] {
  const start = lines.findIndex((l) => l.includes(first)) - before;
  const end = lines.findIndex((l, i) => i > start && l.includes(last));
  if (start < 0 || end < 0 || end < start) throw new Error(`lab lines not found: ${first} … ${last}`);
  return lines.slice(start, end + 1);
}

function replaceAll(text: string, pairs: [string, string][]): string {
  return pairs.reduce((t, [from, to]) => t.split(from).join(to), text);
}

/** Alice's authenticated port-25 message to martin.keller@ (lab message b39), with other values and times. */
function message(mailLog: string[], systemLog: string[], v: HostileValues, tag: "a" | "b" | "c", when: When) {
  // the session's `connect from` line, then its queue files up to `removed`
  const lines = slice(mailLog, "EB368166643: client=", "EB368166643: removed", 1);
  if (lines.length !== 14) throw new Error(`expected 14 lab lines for b39, got ${lines.length}`);
  const pairs: [string, string][] = [
    ["Nov 22 03:27:", `Nov ${when.day} ${two(when.hour)}:${two(when.minute)}:`],
    ["EB368166643", `EB36816${tag.toUpperCase()}001`],
    ["0FAEB166647", `0FAEB16${tag.toUpperCase()}002`],
    ["sasl_username=alice@example.com", `sasl_username=${v.sasl}`],
    ["message-id=<20261122032656.1e0eafe7bd.b39@example.com>", `message-id=<${v.messageId}>`],
    ["from=<alice@example.com>", `from=<${v.from}>`],
    ["martin.keller@partner.example.org", v.to],
  ];
  const dspam = systemLog.find((l) => l.includes("<20261122032656.1e0eafe7bd.b39@example.com>"));
  if (!dspam) throw new Error("lab DSPAM record of b39 not found");
  const f = dspam.split("\t");
  const shift = (when.day - 22) * 86_400 + (when.hour - 3) * 3600 + (when.minute - 27) * 60;
  const record = [
    String(Number(f[0]) + shift),
    f[1],
    v.headerFrom,
    SIGNATURES[tag],
    v.subject,
    f[5],
    v.to,
    f[7],
    `<${v.messageId}>`,
  ];
  return { mail: lines.map((l) => replaceAll(l, pairs)), dspam: record.join("\t") };
}

/** Bob's misdirected retraining (lab message b11), aimed at the hostile message by a hostile login. */
function retraining(mailLog: string[], syslog: string[], messageId: string) {
  const mail = slice(
    mailLog,
    "03:27:40 mail dovecot: imap-login: Login: user=<bob>",
    "imap(bob)<29727><x41AD9VgfJR/AAAB>: Disconnected",
  );
  const plugin = slice(syslog, "2026-11-22T03:27:40.457475", "--user bob ");
  const pairs: [string, string][] = [
    ["Nov 22 03:27:40", "Nov 22 04:29:40"],
    ["2026-11-22T03:27:40", "2026-11-22T04:29:40"],
    ["user=<bob>", `user=<${HOSTILE_LOGIN}>`],
    ["imap(bob)", `imap(${HOSTILE_LOGIN})`],
    ["/data/bob/bob.sig/", `/data/${HOSTILE_LOGIN}/${HOSTILE_LOGIN}.sig/`],
    ["extra arg bob", `extra arg ${HOSTILE_LOGIN}`],
    ["--user bob ", `--user ${HOSTILE_LOGIN} `],
    ["6b026104291109951226246", SIGNATURES.a],
    ["20261122032656.c7cbc0946a.b11@b2b-leads.example.biz", messageId],
    ["mpid=29727", "mpid=29999"],
    ["<29727>", "<29999>"],
    ["x41AD9VgfJR/AAAB", "x41AD9VgfJR/ZZZZ"],
  ];
  return { mail: mail.map((l) => replaceAll(l, pairs)), syslog: plugin.map((l) => replaceAll(l, pairs)) };
}

/**
 * Writes the hostile logs under `dir` (var/log/mail.log, var/log/syslog, var/spool/dspam/system.log);
 * returns `dir`. `values` replaces the hostile message's values (the overlong one is left out then).
 */
export function writeHostileLogs(dir: string, values?: HostileValues): string {
  const read = (file: string) => readFileSync(path.join(LAB_LOGS, file), "utf8").split("\n");
  const mailLog = read("var/log/mail.log");
  const systemLog = read("var/spool/dspam/system.log");
  const hostile = values ?? HOSTILE;
  const a = message(mailLog, systemLog, hostile, "a", { day: 22, hour: 4, minute: 27 });
  const b = values
    ? { mail: [], dspam: [] }
    : message(mailLog, systemLog, OVERLONG, "b", { day: 22, hour: 4, minute: 28 });
  const r = retraining(mailLog, read("var/log/syslog"), hostile.messageId);
  mkdirSync(path.join(dir, "var/log"), { recursive: true });
  mkdirSync(path.join(dir, "var/spool/dspam"), { recursive: true });
  writeFileSync(path.join(dir, "var/log/mail.log"), `${[...a.mail, ...b.mail, ...r.mail].join("\n")}\n`);
  writeFileSync(path.join(dir, "var/log/syslog"), `${r.syslog.join("\n")}\n`);
  writeFileSync(path.join(dir, "var/spool/dspam/system.log"), `${[a.dspam, b.dspam].flat().join("\n")}\n`);
  return dir;
}

/** Alice's authenticated message (lab b39) again a week later, on 29 Nov: the week after still has that finding. */
export function writeNextWeekLogs(dir: string): string {
  const read = (file: string) => readFileSync(path.join(LAB_LOGS, file), "utf8").split("\n");
  const values: HostileValues = {
    sasl: "alice@example.com",
    messageId: "20261129032656.1e0eafe7bd.b39@example.com",
    from: "alice@example.com",
    to: "martin.keller@partner.example.org",
    headerFrom: "Alice Martin <alice@example.com>",
    subject: "Re: migration plan for the billing service",
  };
  const c = message(read("var/log/mail.log"), read("var/spool/dspam/system.log"), values, "c", {
    day: 29,
    hour: 3,
    minute: 27,
  });
  mkdirSync(path.join(dir, "var/log"), { recursive: true });
  mkdirSync(path.join(dir, "var/spool/dspam"), { recursive: true });
  writeFileSync(path.join(dir, "var/log/mail.log"), `${c.mail.join("\n")}\n`);
  writeFileSync(path.join(dir, "var/spool/dspam/system.log"), `${c.dspam}\n`);
  return dir;
}
