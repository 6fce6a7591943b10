// Postfix lines that do not move a message, for any daemon: warning/error/fatal/panic, TLS,
// statistics (anvil, scache, cache cleanups), daemon life cycle (master, postfix-script), dnsblog.
import type { PostfixNotice } from "../../core/events.ts";
import { leadingQueueId, type PostfixTag } from "./shared.ts";

const LEVELS: [prefix: string, category: string][] = [
  ["warning: ", "warning"], // warning: hostname some.client.com does not resolve to address 1.2.3.4
  ["error: ", "error"], // error: open /example: No such file or directory
  ["fatal: ", "fatal"], // fatal: file /etc/postfix/main.cf: parameter default_privs: unknown user name value: nobody
  ["panic: ", "panic"], // panic: myfree: corrupt or unallocated memory block
];

// Known informational lines, by prefix. Each comment is one real line the prefix matches.
const PREFIXES: [prefix: string, category: string][] = [
  ["SSL_accept error from ", "tls"], // SSL_accept error from unknown[72.13.58.7]: lost connection
  ["SSL_connect error to ", "tls"], // SSL_connect error to mail.example.org[112.63.65.2]:25: lost connection
  ["certificate verification failed for ", "tls"], // certificate verification failed for mail.example.com[113.169.17.115]:25: self-signed certificate.
  ["statistics: ", "statistics"], // statistics: max connection rate 2/60s for (submission:68.183.218.8) at Dec  7 13:28:01
  ["daemon started -- ", "daemon"], // daemon started -- version 3.7.11, configuration /etc/postfix
  ["reload -- ", "daemon"], // reload -- version 2.11.0, configuration /etc/postfix
  ["terminating on signal ", "daemon"], // terminating on signal 15
  ["starting the Postfix mail system", "daemon"], // starting the Postfix mail system
  ["stopping the Postfix mail system", "daemon"], // stopping the Postfix mail system
  ["refreshing the Postfix mail system", "daemon"], // refreshing the Postfix mail system
  ["the Postfix mail system is ", "daemon"], // the Postfix mail system is running: PID: 1234
  ["waiting for the Postfix mail system to terminate", "daemon"],
  ["discarding EHLO keywords: ", "info"], // discarding EHLO keywords: 8BITMIME STARTTLS
  ["connect to ", "delivery"], // connect to intern.nl[194.109.6.98]:25: Connection timed out
];

// Anonymous TLS connection established from unknown[172.19.0.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) …
// Verified TLS connection established to mx2.comcast.net[2001:558:fe21:2a::6]:25: TLSv1.2 with cipher …
const TLS_ESTABLISHED = /^(?:Anonymous|Trusted|Untrusted|Verified) TLS connection established (?:from|to) /;
// table hash:/etc/postfix/virtual_mailbox_maps(0,lock|fold_fix) has changed -- restarting
const TABLE_CHANGED = " has changed -- restarting";
// cache btree:/var/lib/postfix-in/postscreen_cache full cleanup: retained=242 dropped=7 entries
const CACHE_CLEANUP = / (?:full|partial) cleanup: retained=\d+ dropped=\d+ entries$/;
// addr 1.2.3.4 listed by domain zen.spamhaus.org as 127.0.0.3   (dnsblog)
const DNSBLOG = /^addr [0-9A-Fa-f:.]{1,64} listed by domain [^ ]{1,255} as [0-9.]{1,15}$/;
// tlsproxy: CONNECT from [82.118.17.142]:51637   |   DISCONNECT [82.118.17.142]:51637
const TLSPROXY = /^(?:CONNECT from|DISCONNECT) \[[^\]]{1,64}\]:\d{1,5}$/;

/** Recognises the generic notices of any Postfix daemon; null when the line is none of them. */
export function parseNotice(tag: PostfixTag, message: string): PostfixNotice | null {
  for (const [prefix, category] of LEVELS) {
    if (message.startsWith(prefix)) return notice(tag, category, message.slice(prefix.length));
  }
  if (TLS_ESTABLISHED.test(message)) return notice(tag, "tls", message);
  for (const [prefix, category] of PREFIXES) {
    if (message.startsWith(prefix)) return notice(tag, category, message);
  }
  if (message.startsWith("table ") && message.endsWith(TABLE_CHANGED)) return notice(tag, "daemon", message);
  if (message.startsWith("cache ") && CACHE_CLEANUP.test(message)) return notice(tag, "statistics", message);
  if (message.startsWith("addr ") && DNSBLOG.test(message)) return notice(tag, "info", message);
  if (tag.daemon === "tlsproxy" && TLSPROXY.test(message)) return notice(tag, "tls", message);
  return null;
}

// warning: 3lyw1l0Nwdz2xGs: defer service failure → queueId 3lyw1l0Nwdz2xGs
function notice(tag: PostfixTag, category: string, text: string): PostfixNotice {
  const queueId = category === "statistics" ? null : leadingQueueId(text);
  return queueId
    ? { kind: "postfix.notice", service: tag.service, daemon: tag.daemon, category, queueId, text }
    : { kind: "postfix.notice", service: tag.service, daemon: tag.daemon, category, text };
}
