import { describe, test } from "node:test";
import { type Case, LAB, runCases } from "./test-support.ts";

const FAIL2BAN = "fail2ban/fail2ban tests/files/logs/dovecot (real-lines dovecot.jsonl)";
const LIGHTMETER = "lightmeterio/ControlCenter pkg/postfix/logparser (real-lines dovecot.jsonl)";

const cases: Case[] = [
  {
    name: "passwd-file password mismatch",
    source: LAB,
    line: "Nov 22 03:27:28 mail dovecot: auth: passwd-file(alice,192.0.2.200): Password mismatch",
    want: {
      kind: "dovecot.auth",
      service: "auth",
      result: "password-mismatch",
      driver: "passwd-file",
      detail: "Password mismatch",
      login: "alice",
      remoteIp: "192.0.2.200",
    },
  },
  {
    name: "unknown user without an address (SMTP AUTH lookup)",
    source: LAB,
    line: "Nov 22 03:27:12 mail dovecot: auth: passwd-file(frank@example.com): unknown user",
    want: {
      kind: "dovecot.auth",
      service: "auth",
      result: "unknown-user",
      driver: "passwd-file",
      detail: "unknown user",
      login: "frank@example.com",
    },
  },
  {
    name: "sql with session in the arguments",
    source: LIGHTMETER,
    line: "Jun 11 13:57:17 main dovecot: auth: sql(admin@example.ru,192.168.144.226,<6rXunFtu493AqJDi>): Password mismatch",
    want: {
      kind: "dovecot.auth",
      service: "auth",
      result: "password-mismatch",
      driver: "sql",
      detail: "Password mismatch",
      login: "admin@example.ru",
      remoteIp: "192.168.144.226",
      session: "6rXunFtu493AqJDi",
    },
  },
  {
    name: "auth-worker pam failure",
    source: FAIL2BAN,
    line: "Jan 29 05:32:50 mail dovecot: auth-worker(304): pam(username,1.2.3.4): pam_authenticate() failed: Authentication failure (password mismatch?)",
    want: {
      kind: "dovecot.auth",
      service: "auth-worker",
      processId: 304,
      result: "failed",
      driver: "pam",
      detail: "pam_authenticate() failed: Authentication failure (password mismatch?)",
      login: "username",
      remoteIp: "1.2.3.4",
    },
  },
  {
    name: "2.3 worker connection prefix",
    source: FAIL2BAN,
    line: "Jun 15 11:28:21 hostname dovecot: auth-worker(5787): conn unix:auth-worker (pid=27359,uid=97): auth-worker<55>: pam(webapps,192.0.2.7): unknown user",
    want: {
      kind: "dovecot.auth",
      service: "auth-worker",
      processId: 5787,
      result: "unknown-user",
      driver: "pam",
      detail: "unknown user",
      login: "webapps",
      remoteIp: "192.0.2.7",
    },
  },
  {
    name: "2.4 auth(user,ip,mech)<session> prefix, Dovecot log file",
    source: FAIL2BAN,
    line: "Aug 30 00:10:57 auth(info@example.com,192.0.2.110,sasl:login)<CvN+E95Uf4e7eEnj>: Info: sql: Password mismatch (given password: XxxxXXxx123)",
    want: {
      kind: "dovecot.auth",
      service: "auth",
      session: "CvN+E95Uf4e7eEnj",
      result: "password-mismatch",
      detail: "Password mismatch (given password: XxxxXXxx123)",
      driver: "sql",
      login: "info@example.com",
      remoteIp: "192.0.2.110",
      method: "login",
    },
  },
  {
    name: "PAM's own line under the dovecot-auth ident",
    source: FAIL2BAN,
    line: "@400000004c91b044077a9e94 dovecot-auth: pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=rhost=1.2.3.4 rhost=192.0.43.10",
    want: {
      kind: "dovecot.auth",
      service: "dovecot-auth",
      result: "failed",
      driver: "pam_unix",
      detail:
        "authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=rhost=1.2.3.4 rhost=192.0.43.10",
      remoteIp: "192.0.43.10",
    },
  },
  {
    name: "journald keeps Dovecot's ident in the message",
    source: FAIL2BAN,
    line: "Jul 02 13:49:32 hostname dovecot[442]: dovecot: auth(default): pam(account@MYSERVERNAME.com,200.76.17.206): pam_authenticate() failed: User not known to the underlying authentication module: 2 Time(s)",
    want: {
      kind: "dovecot.auth",
      service: "auth",
      result: "failed",
      driver: "pam",
      detail: "pam_authenticate() failed: User not known to the underlying authentication module: 2 Time(s)",
      login: "account@MYSERVERNAME.com",
      remoteIp: "200.76.17.206",
    },
  },
  {
    name: "a driver line that is not a failure is a notice",
    source: "Linode docs 'Email with Postfix, Dovecot and MySQL' (real-lines dovecot.jsonl)",
    line: "Mar 22 18:20:29 host dovecot: auth-worker: mysql(127.0.0.1): Connected to database mailserver",
    want: {
      kind: "dovecot.notice",
      service: "auth-worker",
      level: "info",
      text: "mysql(127.0.0.1): Connected to database mailserver",
    },
  },
];

describe("auth and auth-worker lines", () => runCases(cases, test));
