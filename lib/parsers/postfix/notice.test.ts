// Table tests of real lines: Generic notices of any daemon: levels, TLS, statistics, daemon life cycle.
import { describe } from "node:test";
import { type Case, runTable } from "./test-table.ts";

const cases: Case[] = [
  {
    name: "master: daemon started (lab)",
    source: "lab-double-expansion logs/var/log/mail.log (Postfix 3.7.11)",
    line: "Nov 22 03:26:52 mail postfix/master[29205]: daemon started -- version 3.7.11, configuration /etc/postfix",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "master",
      category: "daemon",
      text: "daemon started -- version 3.7.11, configuration /etc/postfix",
    },
  },
  {
    name: "postfix-script: starting (lab)",
    source: "lab-double-expansion logs/var/log/mail.log (Postfix 3.7.11)",
    line: "Nov 22 03:26:52 mail postfix/postfix-script[29203]: starting the Postfix mail system",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "postfix-script",
      category: "daemon",
      text: "starting the Postfix mail system",
    },
  },
  {
    name: "postfix-script: stopping",
    source:
      "real-lines postfix-0661: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/19_postfix_version.log",
    line: "Mar 29 13:20:11 test1 postfix/postfix-script[15548]: stopping the Postfix mail system",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "postfix-script",
      category: "daemon",
      text: "stopping the Postfix mail system",
    },
  },
  {
    name: "master: terminating on signal",
    source:
      "real-lines postfix-0662: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/19_postfix_version.log",
    line: "Mar 29 13:20:11 test1 postfix/master[15019]: terminating on signal 15",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "master",
      category: "daemon",
      text: "terminating on signal 15",
    },
  },
  {
    name: "master: reload",
    source:
      "real-lines postfix-message-only-0038: whyscream/postfix-grok-patterns@e9f1a59:test/master_0003.yaml",
    line: "reload -- version 2.11.0, configuration /etc/postfix",
    program: "postfix/master",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "master",
      category: "daemon",
      text: "reload -- version 2.11.0, configuration /etc/postfix",
    },
  },
  {
    name: "master: warning about a crashed child",
    source:
      "real-lines postfix-message-only-0039: whyscream/postfix-grok-patterns@e9f1a59:test/master_0004.yaml",
    line: "warning: process /usr/local/libexec/postfix/smtpd pid 46234 killed by signal 11",
    program: "postfix/master",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "master",
      category: "warning",
      text: "process /usr/local/libexec/postfix/smtpd pid 46234 killed by signal 11",
    },
  },
  {
    name: "smtpd: table has changed -- restarting",
    source: "real-lines postfix-1171: kumina/postfix_exporter@HEAD:postfix_exporter_test.go",
    line: "Feb 14 19:05:25 123-mail postfix/smtpd[1517]: table hash:/etc/postfix/virtual_mailbox_maps(0,lock|fold_fix) has changed -- restarting",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "smtpd",
      category: "daemon",
      text: "table hash:/etc/postfix/virtual_mailbox_maps(0,lock|fold_fix) has changed -- restarting",
    },
  },
  {
    name: "smtpd: fatal",
    source: "real-lines postfix-1172: kumina/postfix_exporter@HEAD:postfix_exporter_test.go",
    line: "Mar 16 12:28:02 123-mail postfix/smtpd[16268]: fatal: file /etc/postfix/main.cf: parameter default_privs: unknown user name value: nobody",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "smtpd",
      category: "fatal",
      text: "file /etc/postfix/main.cf: parameter default_privs: unknown user name value: nobody",
    },
  },
  {
    name: "smtpd: warning hostname does not resolve",
    source:
      "real-lines postfix-0739: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/22_virtual_delivery.log",
    line: "Jul  8 17:05:24 mail postfix/smtpd[21134]: warning: hostname some.client.com does not resolve to address 1.2.3.4",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "smtpd",
      category: "warning",
      text: "hostname some.client.com does not resolve to address 1.2.3.4",
    },
  },
  {
    name: "smtpd: SASL library warning without a client",
    source: "real-lines postfix-1158: kumina/postfix_exporter@HEAD:postfix_exporter_test.go",
    line: "Apr 26 10:55:19 tcc1 postfix/smtpd[21126]: warning: SASL authentication failure: cannot connect to saslauthd server: Permission denied",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "smtpd",
      category: "warning",
      text: "SASL authentication failure: cannot connect to saslauthd server: Permission denied",
    },
  },
  {
    name: "warning with a queue id (long)",
    source: "real-lines postfix-message-only-0208: msimerson/postfix-parser@85e8c70:test/index.js",
    line: "warning: 3lyw1l0Nwdz2xGs: defer service failure",
    program: "postfix/error",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "error",
      category: "warning",
      queueId: "3lyw1l0Nwdz2xGs",
      text: "3lyw1l0Nwdz2xGs: defer service failure",
    },
  },
  {
    name: "cleanup warning with a queue id",
    source:
      "real-lines postfix-message-only-0025: whyscream/postfix-grok-patterns@e9f1a59:test/cleanup_0012.yaml",
    line: "warning: 9BECF3F19D: sender_canonical_maps map lookup problem for sender@example.com -- message not accepted, try again later",
    program: "postfix/cleanup",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "cleanup",
      category: "warning",
      queueId: "9BECF3F19D",
      text: "9BECF3F19D: sender_canonical_maps map lookup problem for sender@example.com -- message not accepted, try again later",
    },
  },
  {
    name: "postscreen error",
    source: "real-lines postfix-1198: sergeymakinen/postfix_exporter@HEAD:exporter/testdata/mail.log",
    line: "Jan 1 00:00:00 hostname postfix/postscreen[12345]: error: open /example: No such file or directory",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "postscreen",
      category: "error",
      text: "open /example: No such file or directory",
    },
  },
  {
    name: "smtpd TLS established (lab submission)",
    source: "lab-double-expansion logs/var/log/mail.log (Postfix 3.7.11)",
    line: "Nov 22 03:27:15 mail postfix/submission/smtpd[29406]: Anonymous TLS connection established from localhost[127.0.0.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256",
    want: {
      kind: "postfix.notice",
      service: "postfix/submission",
      daemon: "smtpd",
      category: "tls",
      text: "Anonymous TLS connection established from localhost[127.0.0.1]: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature RSA-PSS (2048 bits) server-digest SHA256",
    },
  },
  {
    name: "smtp Trusted TLS established",
    source:
      "real-lines postfix-0026: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/11_single_successful_delivery.log",
    line: "Dec  9 10:18:24 mail postfix/smtp[20053]: Trusted TLS connection established to aspmx.l.google.com[74.125.143.26]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "smtp",
      category: "tls",
      text: "Trusted TLS connection established to aspmx.l.google.com[74.125.143.26]:25: TLSv1.3 with cipher TLS_AES_256_GCM_SHA384 (256/256 bits) key-exchange X25519 server-signature ECDSA (P-256) server-digest SHA256",
    },
  },
  {
    name: "smtp Anonymous TLS established",
    source:
      "real-lines postfix-0707: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/21_deliveries_with_local_daemon.log",
    line: "Jun 20 05:02:35 ns4 postfix/smtp[16629]: Anonymous TLS connection established to h-a85427309c70[199.3.254.155]:25: TLSv1.2 with cipher ADH-AES256-GCM-SHA384 (256/256 bits)",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "smtp",
      category: "tls",
      text: "Anonymous TLS connection established to h-a85427309c70[199.3.254.155]:25: TLSv1.2 with cipher ADH-AES256-GCM-SHA384 (256/256 bits)",
    },
  },
  {
    name: "SSL_accept error",
    source:
      "real-lines postfix-message-only-0144: whyscream/postfix-grok-patterns@e9f1a59:test/smtpd_0019.yaml",
    line: "SSL_accept error from unknown[72.13.58.7]: lost connection",
    program: "postfix/smtpd",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "smtpd",
      category: "tls",
      text: "SSL_accept error from unknown[72.13.58.7]: lost connection",
    },
  },
  {
    name: "certificate verification failed",
    source:
      "real-lines postfix-message-only-0116: whyscream/postfix-grok-patterns@e9f1a59:test/smtp_0027.yaml",
    line: "certificate verification failed for mail.example.com[113.169.17.115]:25: self-signed certificate.",
    program: "postfix/smtp",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "smtp",
      category: "tls",
      text: "certificate verification failed for mail.example.com[113.169.17.115]:25: self-signed certificate.",
    },
  },
  {
    name: "tlsproxy DISCONNECT",
    source:
      "real-lines postfix-message-only-0172: whyscream/postfix-grok-patterns@e9f1a59:test/tlsproxy_0001.yaml",
    line: "DISCONNECT [82.118.17.142]:51637",
    program: "postfix/tlsproxy",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "tlsproxy",
      category: "tls",
      text: "DISCONNECT [82.118.17.142]:51637",
    },
  },
  {
    name: "anvil max connection rate (embedded date)",
    source:
      "real-lines postfix-0978: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/6_deferred_message_retry.log",
    line: "Dec  7 13:33:34 mail postfix/anvil[18492]: statistics: max connection rate 2/60s for (submission:68.183.218.8) at Dec  7 13:28:01",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "anvil",
      category: "statistics",
      text: "statistics: max connection rate 2/60s for (submission:68.183.218.8) at Dec  7 13:28:01",
    },
  },
  {
    name: "anvil max cache size",
    source:
      "real-lines postfix-0980: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/6_deferred_message_retry.log",
    line: "Dec  7 13:33:34 mail postfix/anvil[18492]: statistics: max cache size 1 at Dec  7 13:26:48",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "anvil",
      category: "statistics",
      text: "statistics: max cache size 1 at Dec  7 13:26:48",
    },
  },
  {
    name: "scache statistics",
    source:
      "real-lines postfix-message-only-0091: whyscream/postfix-grok-patterns@e9f1a59:test/scache_0001.yaml",
    line: "statistics: domain lookup hits=0 miss=1 success=0%",
    program: "postfix/scache",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "scache",
      category: "statistics",
      text: "statistics: domain lookup hits=0 miss=1 success=0%",
    },
  },
  {
    name: "dnsblog listing",
    source:
      "real-lines postfix-0737: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/22_virtual_delivery.log",
    line: "Jul  8 17:05:18 mail postfix/dnsblog[21133]: addr 1.2.3.4 listed by domain zen.spamhaus.org as 127.0.0.3",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "dnsblog",
      category: "info",
      text: "addr 1.2.3.4 listed by domain zen.spamhaus.org as 127.0.0.3",
    },
  },
  {
    name: "discarding EHLO keywords",
    source:
      "real-lines postfix-0069: lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/14_reuse_of_queueid.log",
    line: "Sep  4 01:24:11 smtpnode06 postfix-170.55.103.23/smtp[6980]: discarding EHLO keywords: 8BITMIME STARTTLS",
    want: {
      kind: "postfix.notice",
      service: "postfix-170.55.103.23",
      daemon: "smtp",
      category: "info",
      text: "discarding EHLO keywords: 8BITMIME STARTTLS",
    },
  },
  {
    name: "sendmail fatal",
    source:
      "real-lines postfix-message-only-0096: whyscream/postfix-grok-patterns@e9f1a59:test/sendmail_0001.yaml",
    line: "fatal: root(0): message file too big",
    program: "postfix/sendmail",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "sendmail",
      category: "fatal",
      text: "root(0): message file too big",
    },
  },
  {
    name: "postdrop warning",
    source:
      "real-lines postfix-message-only-0045: whyscream/postfix-grok-patterns@e9f1a59:test/postdrop_0001.yaml",
    line: "warning: uid=0: File too large",
    program: "postfix/postdrop",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "postdrop",
      category: "warning",
      text: "uid=0: File too large",
    },
  },
  {
    name: "postfix-script warning",
    source:
      "real-lines postfix-message-only-0095: whyscream/postfix-grok-patterns@e9f1a59:test/script_0001.yaml",
    line: "warning: symlink leaves directory: /etc/postfix/./makedefs.out",
    program: "postfix/postfix-script",
    want: {
      kind: "postfix.notice",
      service: "postfix",
      daemon: "postfix-script",
      category: "warning",
      text: "symlink leaves directory: /etc/postfix/./makedefs.out",
    },
  },
];

describe("notice", () => runTable(cases));
