import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { realLines } from "../../tests/helpers/fixtures.ts";
import { type Envelope, parseEnvelope } from "./envelope.ts";
import { YearResolver } from "./year-resolver.ts";

const years = () => new YearResolver(new Date(2026, 10, 30), 2026);
const fieldsOf = ({ format, timestamp, host, program, pid, message }: Envelope) => ({
  format,
  timestamp,
  host,
  program,
  pid,
  message,
});

const cases: {
  name: string;
  source: string;
  line: string;
  want: {
    format: string;
    timestamp: string;
    host: string | null;
    program: string;
    pid: number | null;
    message: string;
    iso?: string;
  };
}[] = [
  {
    name: "RFC3164, space-padded day, syslog_name with service",
    source:
      "lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/5_zimbra_amavisd.log",
    line: "Dec 17 06:28:56 sm02 postfix/submission/smtpd[115113]: E8759DC24C3: client=unknown[11.22.33.44], sasl_method=LOGIN, sasl_username=sender@sender.example.com",
    want: {
      format: "rfc3164",
      timestamp: "Dec 17 06:28:56",
      host: "sm02",
      program: "postfix/submission/smtpd",
      pid: 115113,
      message:
        "E8759DC24C3: client=unknown[11.22.33.44], sasl_method=LOGIN, sasl_username=sender@sender.example.com",
    },
  },
  {
    name: "RFC3164 Dovecot without pid",
    source: "lightmeterio/ControlCenter@4be01c14:test_files/postfix_logs/individual_files/10_pickup.log",
    line: "Feb  1 13:17:08 mail dovecot: lmtp(28700): Connect from local",
    want: {
      format: "rfc3164",
      timestamp: "Feb  1 13:17:08",
      host: "mail",
      program: "dovecot",
      pid: null,
      message: "lmtp(28700): Connect from local",
    },
  },
  {
    name: "RFC3339 with microseconds and offset (rsyslog FileFormat, Debian 13)",
    source: "misc public GitHub file, real-lines postfix.jsonl (lin2)",
    line: "2026-03-15T21:55:22.162433-03:00 lin2 postfix/submission/smtpd[2257785]: 27937120C92: client=unknown[172.19.0.1], sasl_method=PLAIN, sasl_username=hola@fonotarot.cl",
    want: {
      format: "iso8601",
      timestamp: "2026-03-15T21:55:22.162433-03:00",
      host: "lin2",
      program: "postfix/submission/smtpd",
      pid: 2257785,
      message: "27937120C92: client=unknown[172.19.0.1], sasl_method=PLAIN, sasl_username=hola@fonotarot.cl",
      iso: "2026-03-16T00:55:22.162Z",
    },
  },
  {
    name: "antispam debug line: tag imap without pid, trailing blank dropped",
    source: "shared/fixtures/lab-double-expansion/logs/var/log/syslog",
    line: "2026-11-22T03:27:36.377137+00:00 mail imap: antispam: /usr/bin/dspam --source=error --class=spam --signature=6b026102291106316811857 --deliver= --client --user alice@example.com ",
    want: {
      format: "iso8601",
      timestamp: "2026-11-22T03:27:36.377137+00:00",
      host: "mail",
      program: "imap",
      pid: null,
      message:
        "antispam: /usr/bin/dspam --source=error --class=spam --signature=6b026102291106316811857 --deliver= --client --user alice@example.com",
      iso: "2026-11-22T03:27:36.377Z",
    },
  },
  {
    name: "journalctl -o short-iso: offset without colon (format from log-formats.md §0; no public sample)",
    source: "log-formats.md §0 (journalctl short-iso)",
    line: "2024-05-17T10:00:00+0200 mail postfix/smtpd[123]: connect from unknown[192.0.2.1]",
    want: {
      format: "iso8601",
      timestamp: "2024-05-17T10:00:00+0200",
      host: "mail",
      program: "postfix/smtpd",
      pid: 123,
      message: "connect from unknown[192.0.2.1]",
      iso: "2024-05-17T08:00:00.000Z",
    },
  },
  {
    name: "RFC5424 with priority, procid and no structured data (format from log-formats.md §0)",
    source: "log-formats.md §0 (RFC5424)",
    line: "<22>1 2024-05-17T10:00:00.123+02:00 mail postfix/smtpd 123 - - connect from unknown[192.0.2.1]",
    want: {
      format: "rfc5424",
      timestamp: "2024-05-17T10:00:00.123+02:00",
      host: "mail",
      program: "postfix/smtpd",
      pid: 123,
      message: "connect from unknown[192.0.2.1]",
      iso: "2024-05-17T08:00:00.123Z",
    },
  },
  {
    name: "Postfix maillog_file: zero-padded day (postlogd, format from util/msg_logger.c)",
    source: "log-formats.md §0 (maillog_file)",
    line: "Jan 05 10:00:00 mail postfix/qmgr[15878]: 2BD192839B: removed",
    want: {
      format: "rfc3164",
      timestamp: "Jan 05 10:00:00",
      host: "mail",
      program: "postfix/qmgr",
      pid: 15878,
      message: "2BD192839B: removed",
    },
  },
  {
    name: "Dovecot's own log file: no host, level word dropped for Info",
    source: "fail2ban/fail2ban fail2ban/tests/files/logs/dovecot",
    line: "Jan 29 09:33:58 pop3-login: Info: Aborted login (auth failed, 1 attempts in 2 secs): user=<grace>, method=PLAIN, rip=212.9.180.3",
    want: {
      format: "dovecot-logfile",
      timestamp: "Jan 29 09:33:58",
      host: null,
      program: "dovecot",
      pid: null,
      message:
        "pop3-login: Aborted login (auth failed, 1 attempts in 2 secs): user=<grace>, method=PLAIN, rip=212.9.180.3",
    },
  },
  {
    name: "Dovecot's own log file with a dated log_timestamp",
    source: "fail2ban/fail2ban fail2ban/tests/files/logs/dovecot",
    line: "2013-08-11 03:56:40 auth-worker(default): Info: pam(username,1.2.3.4): pam_authenticate() failed: Authentication failure (password mismatch?)",
    want: {
      format: "dovecot-logfile",
      timestamp: "2013-08-11 03:56:40",
      host: null,
      program: "dovecot",
      pid: null,
      message:
        "auth-worker(default): pam(username,1.2.3.4): pam_authenticate() failed: Authentication failure (password mismatch?)",
    },
  },
  {
    name: "Dovecot's own log file keeps non-Info levels",
    source: "log-formats.md §3.1 (Error: after the prefix)",
    line: "Nov 22 03:09:19 lmtp(alice@example.com)<12767><oK03KsdcAmvfMQAAg+zDdQ>: Error: sieve: binary save failed",
    want: {
      format: "dovecot-logfile",
      timestamp: "Nov 22 03:09:19",
      host: null,
      program: "dovecot",
      pid: null,
      message: "lmtp(alice@example.com)<12767><oK03KsdcAmvfMQAAg+zDdQ>: Error: sieve: binary save failed",
    },
  },
  {
    name: "daemontools tai64n stamp",
    source: "fail2ban/fail2ban fail2ban/tests/files/logs/dovecot",
    line: "@400000004c91b044077a9e94 imap-login: Info: Aborted login (auth failed, 1 attempts): user=<martin@waschbuesch.de>, method=CRAM-MD5, rip=80.187.101.33, lip=80.254.129.240, TLS",
    want: {
      format: "tai64n-dovecot-logfile",
      timestamp: "@400000004c91b044077a9e94",
      host: null,
      program: "dovecot",
      pid: null,
      message:
        "imap-login: Aborted login (auth failed, 1 attempts): user=<martin@waschbuesch.de>, method=CRAM-MD5, rip=80.187.101.33, lip=80.254.129.240, TLS",
      iso: "2010-09-16T05:50:50.125Z",
    },
  },
  {
    name: "tag with a leading slash",
    source: "log-formats.md §0 odd tags (/postfix-script)",
    line: "Dec 17 06:30:01 sm02 /postfix-script[115413]: the Postfix mail system is running: PID: 9505",
    want: {
      format: "rfc3164",
      timestamp: "Dec 17 06:30:01",
      host: "sm02",
      program: "/postfix-script",
      pid: 115413,
      message: "the Postfix mail system is running: PID: 9505",
    },
  },
];

describe("parseEnvelope", () => {
  for (const { name, source, line, want } of cases) {
    test(`${name} (${source})`, () => {
      const got = parseEnvelope(line);
      assert.ok(got, "envelope recognised");
      const { iso, ...fields } = want;
      assert.deepEqual(fieldsOf(got), fields);
      if (iso) assert.equal(new Date(years().toEpochMs(got.time)).toISOString(), iso);
    });
  }

  test("rejects what is not an envelope (sergeymakinen/postfix_exporter testdata malformed lines)", () => {
    for (const line of [
      "Invalid Line",
      "Jan: 1 00:00:00 hostname postfix/postscreen[12345]: foo",
      "Jan 1 00:00:00 hostname postfix/postscreen[abcde]: foo",
      "Jan 1 00:00:00 hostname postfix/postscreen[12345",
      "Foo 1 00:00:00 hostname",
      "Jan 1 00:00:00",
      "",
      "\u0000\u0001\u0002garbage",
    ]) {
      assert.equal(parseEnvelope(line), null, line);
    }
  });
});

describe("RFC3164 near the edges of the plain path (results of the regular expressions alone)", () => {
  const envelope = (
    format: string,
    timestamp: string,
    program: string,
    pid: number | null,
    message: string,
  ) => ({
    format,
    timestamp,
    host: "mail",
    program,
    pid,
    message,
  });
  type Want = Omit<ReturnType<typeof envelope>, "host"> & { host: string | null };
  const cases: [string, Want | null][] = [
    [
      "Mar 1 00:00:06 mail postfix/qmgr[1]: one space, one digit",
      envelope("rfc3164", "Mar 1 00:00:06", "postfix/qmgr", 1, "one space, one digit"),
    ],
    [
      "Mar  1 00:00:06.123456 mail postfix/qmgr[1]: a fraction",
      envelope("rfc3164", "Mar  1 00:00:06.123456", "postfix/qmgr", 1, "a fraction"),
    ],
    ["Mar  1 00:00:06 mail postfix/smtpd[abc]: a pid that is not one", null],
    ["Mar  1 00:00:06 mail postfix/smtpd[12: no closing bracket", null],
    [
      "Mar  1 00:00:06 mail postfix/smtpd:no space after the colon  ",
      envelope("rfc3164", "Mar  1 00:00:06", "postfix/smtpd", null, "no space after the colon"),
    ],
    ["Mar  1 00:00:06 mail\tpostfix/smtpd[1]: a tab after the host", null],
    [
      "Mar  1 00:00:06 mäil postfix/smtpd[1]: non-ASCII host",
      { ...envelope("rfc3164", "Mar  1 00:00:06", "postfix/smtpd", 1, "non-ASCII host"), host: "mäil" },
    ],
    ["Mar 32 00:00:06 mail postfix/smtpd[1]: day 32", null],
    [
      "Mar  1 00:00:06 pop3-login: Info: Aborted login",
      {
        ...envelope("dovecot-logfile", "Mar  1 00:00:06", "dovecot", null, "pop3-login: Aborted login"),
        host: null,
      },
    ],
  ];
  for (const [line, want] of cases) {
    test(line, () => {
      const got = parseEnvelope(line);
      assert.deepEqual(got && fieldsOf(got), want);
    });
  }
});

describe("real-lines corpus: every envelope field the corpus asserts", () => {
  const families = ["postfix", "dovecot", "dspam", "antispam", "other"];
  for (const family of families) {
    test(family, () => {
      let checked = 0;
      for (const record of realLines(family)) {
        const expect = record.expect;
        if (expect.envelope === undefined) continue;
        const got = parseEnvelope(record.line);
        const where = `${record.id} (${record.source}): ${record.line}`;
        if (expect.envelope === "unrecognised") {
          assert.equal(got, null, where);
          continue;
        }
        assert.ok(got, `envelope not recognised: ${where}`);
        assert.equal(got.format, expect.envelope, where);
        assert.equal(got.timestamp, expect.timestamp, where);
        if ("host" in expect) assert.equal(got.host, expect.host, where);
        if ("program" in expect) assert.equal(got.program, expect.program, where);
        if ("pid" in expect) assert.equal(got.pid, expect.pid, where);
        else if (got.format !== "dovecot-logfile") assert.equal(got.pid, null, where);
        checked += 1;
      }
      assert.ok(checked > 0);
    });
  }
});
