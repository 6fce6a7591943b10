// Real line shapes of a message crossing our own servers (the lab's, prisma/demo/lab-double-expansion,
// with each server's own host name): mx1 relays to mx2 or to a DSPAM filter host, which delivers by
// LMTP to Dovecot on an IMAP host, where the user later retrains. Shared by the correlator's table
// and the ingest and query tests.
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";

export const MSGID = "20261122032656.b32f2b3f2c.b01@partner.example.org";

/** mx1 receives from the Internet and relays to `next` (its name in the relay= field, its reply's queue id). */
export const mx1 = (next: string, queuedAs: string, at = "03:26:55") => [
  `Nov 22 03:26:54 mx1 postfix/smtpd[29100]: connect from mail.partner.example.org[203.0.113.9]`,
  `Nov 22 03:26:54 mx1 postfix/smtpd[29100]: 1D451166633: client=mail.partner.example.org[203.0.113.9]`,
  `Nov 22 03:26:54 mx1 postfix/cleanup[29101]: 1D451166633: message-id=<${MSGID}>`,
  `Nov 22 03:26:54 mx1 postfix/qmgr[29000]: 1D451166633: from=<martin.keller@partner.example.org>, size=1890, nrcpt=1 (queue active)`,
  `Nov 22 ${at} mx1 postfix/smtp[29102]: 1D451166633: to=<alice@example.com>, relay=${next}:25, delay=1.1, delays=0.1/0/0.5/0.5, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as ${queuedAs})`,
  `Nov 22 ${at} mx1 postfix/qmgr[29000]: 1D451166633: removed`,
];

/** A Postfix server `host` receiving queue `id` from mx1 and delivering it into alice's mailbox on the IMAP host. */
export const received = (host: string, id: string, at = "03:26:55", msgid = MSGID) => [
  `Nov 22 ${at} ${host} postfix/smtpd[31200]: connect from mx1.example.com[198.51.100.1]`,
  `Nov 22 ${at} ${host} postfix/smtpd[31200]: ${id}: client=mx1.example.com[198.51.100.1]`,
  `Nov 22 ${at} ${host} postfix/cleanup[31201]: ${id}: message-id=<${msgid}>`,
  `Nov 22 ${at} ${host} postfix/qmgr[31000]: ${id}: from=<martin.keller@partner.example.org>, size=2100, nrcpt=1 (queue active)`,
];

export const intoImapHost = (host: string, id: string) => [
  `Nov 22 03:26:57 ${host} postfix/lmtp[31203]: ${id}: to=<alice@example.com>, relay=imap.example.com[198.51.100.3]:24, delay=0.15, delays=0.13/0.01/0.01/0.01, dsn=2.0.0, status=sent (250 2.0.0 <alice@example.com> 855HHABhAmtYcgAAg+zDdQ Saved)`,
  `Nov 22 03:26:57 imap dovecot: lmtp(alice@example.com)<29272><855HHABhAmtYcgAAg+zDdQ>: sieve: msgid=<${MSGID}>: stored mail into mailbox 'Junk'`,
  `Nov 22 03:26:57 ${host} postfix/qmgr[31000]: ${id}: removed`,
];

/** The filter host: queue 5AD05166622 from mx1 goes to DSPAM, which reinjects 6C68016663B from localhost. */
export const filterHost = [
  ...received("filter", "5AD05166622"),
  `Nov 22 03:26:56 filter postfix/lmtp[31202]: 5AD05166622: to=<alice@example.com>, relay=filter.example.com[/var/run/dspam/dspam.sock], delay=0.25, delays=0.01/0.01/0/0.24, dsn=2.6.0, status=sent (250 2.6.0 <alice@example.com> Message accepted for delivery)`,
  `Nov 22 03:26:56 filter postfix/smtpd[31210]: connect from localhost[127.0.0.1]`,
  `Nov 22 03:26:56 filter postfix/smtpd[31210]: 6C68016663B: client=localhost[127.0.0.1]`,
  `Nov 22 03:26:56 filter postfix/cleanup[31201]: 6C68016663B: message-id=<${MSGID}>`,
  `Nov 22 03:26:56 filter postfix/qmgr[31000]: 6C68016663B: from=<martin.keller@partner.example.org>, size=2400, nrcpt=1 (queue active)`,
  `Nov 22 03:26:56 filter postfix/qmgr[31000]: 5AD05166622: removed`,
  `1795318016\tS\tMartin Keller <martin.keller@partner.example.org>\t6b026100291101642720778\tMinutes\t0.001495\talice@example.com\tTagged\t<${MSGID}>`,
  ...intoImapHost("filter", "6C68016663B"),
];

export const retrainOnImapHost = [
  `Nov 22 03:27:36 imap dovecot: imap(alice@example.com)<29711><zfgBD9VgbpR/AAAB>: copy from Junk: box=INBOX, uid=3, msgid=<${MSGID}>, size=1989, from=martin.keller@partner.example.org, subject=Minutes`,
  `Nov 22 03:27:36 imap imap: antispam: /usr/bin/dspam --source=error --class=innocent --signature=6b026100291101642720778 --deliver= --client --user alice@example.com `,
  `1795318056\tF\t<None Specified>\t6b026100291101642720778\t<None Specified>\t0.002183\talice@example.com\tRetrained\t`,
];

/** Each server's files, as its follower would read them: <dir>/<host>/mail.log (+ syslog, DSPAM's system.log). */
export function writeCrossHostLogs(dir: string): Record<"mx1" | "filter" | "imap", string[]> {
  const isRecord = (l: string) => /^\d{9,12}\t/.test(l);
  const all = [
    ...mx1("filter.example.com[198.51.100.20]", "5AD05166622"),
    ...filterHost,
    ...retrainOnImapHost,
  ];
  const write = (file: string, lines: string[]) => {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, lines.map((l) => `${l}\n`).join(""));
    return file;
  };
  const of = (host: string) => all.filter((l) => !isRecord(l) && l.split(" ")[3] === host);
  return {
    mx1: [write(path.join(dir, "mx1/mail.log"), of("mx1"))],
    filter: [
      write(path.join(dir, "filter/mail.log"), of("filter")),
      write(path.join(dir, "filter/dspam/system.log"), all.filter(isRecord)),
    ],
    imap: [
      write(
        path.join(dir, "imap/mail.log"),
        of("imap").filter((l) => !l.includes(" imap: ")),
      ),
      write(
        path.join(dir, "imap/syslog"),
        of("imap").filter((l) => l.includes(" imap: ")),
      ),
    ],
  };
}
