import type { DovecotAuth, DovecotNotice, LogEvent } from "../../core/events.ts";
import { type DovecotPrefix, withProcess } from "./prefix.ts";

// auth / auth-worker processes (auth_verbose = yes): `DRIVER(user,ip[,<session>]): DETAIL` in 2.2/2.3,
// `auth(user,ip,sasl:mech)<session>: DRIVER: DETAIL` in 2.4, and PAM's own pam_unix lines.

const RESULTS: [start: string, result: string][] = [
  ["unknown user", "unknown-user"],
  ["password mismatch", "password-mismatch"],
  ["pam_authenticate() failed", "failed"],
  ["authentication failure due to policy server refusal", "policy-refusal"],
  ["invalid credentials", "invalid-credentials"],
  ["authentication failure", "failed"],
];

// Password mismatch (for LDAP bind)  →  password-mismatch
function resultOf(detail: string): string | undefined {
  const lower = detail.slice(0, 60).toLowerCase();
  for (const [start, result] of RESULTS) if (lower.startsWith(start)) return result;
  return undefined;
}

// sql(admin@example.ru,192.168.144.226,<6rXunFtu493AqJDi>): Password mismatch
const DRIVER_ARGS = /^([a-z][a-z0-9_-]{0,30})\(([^()]*)\): (.*)$/s;
// sql: Password mismatch (given password: …)   (2.4)
const DRIVER_ONLY = /^([a-z][a-z0-9_-]{0,30}): (.*)$/s;
// conn unix:auth-worker (uid=143): auth-worker<13247>: sql(support,192.0.2.6): unknown user   (2.3 worker connection prefix)
const WORKER_CONN = /^conn [^\n]{0,200}?: auth-worker<\d{1,10}>: /;

/** Parses a line of an auth or auth-worker process; not a login failure → dovecot.notice. */
// auth: passwd-file(alice,192.0.2.200): Password mismatch
export function parseAuthLine(p: DovecotPrefix): LogEvent {
  let text = p.text;
  if (text.startsWith("conn ")) {
    const conn = WORKER_CONN.exec(text);
    if (conn) text = text.slice((conn[0] as string).length);
  }
  const withArgs = DRIVER_ARGS.exec(text);
  if (withArgs) {
    const driver = withArgs[1] as string;
    const detail = withArgs[3] as string;
    const result = resultOf(detail);
    if (result === undefined) return notice(p);
    const event = withProcess<DovecotAuth>(
      { kind: "dovecot.auth", service: p.service, result, driver, detail },
      p,
    );
    if (driver.startsWith("pam_")) readPamFields(event, detail);
    else readUserIp(event, withArgs[2] as string);
    return event;
  }
  // 2.4: the user, ip and mechanism are in the process prefix.
  if (p.args?.includes(",")) {
    const driverOnly = DRIVER_ONLY.exec(text);
    const detail = driverOnly ? (driverOnly[2] as string) : text;
    const result = resultOf(detail);
    if (result === undefined) return notice(p);
    const event = withProcess<DovecotAuth>({ kind: "dovecot.auth", service: p.service, result, detail }, p);
    if (driverOnly) event.driver = driverOnly[1] as string;
    readUserIp(event, p.args);
    return event;
  }
  return notice(p);
}

// alice,1.2.3.4   |   user@dom,192.0.2.6,<PNHQq8pZhqIKAQGd>   |   info@example.com,192.0.2.110,sasl:login
function readUserIp(event: DovecotAuth, args: string): void {
  const parts = args.split(",");
  const [login, ip, third] = parts;
  if (login !== undefined && login !== "") event.login = login;
  if (ip !== undefined && ip !== "") event.remoteIp = ip;
  if (third === undefined || third === "") return;
  if (third.startsWith("<") && third.endsWith(">")) {
    if (event.session === undefined) event.session = third.slice(1, -1);
  } else if (third.startsWith("sasl:")) {
    event.method = third.slice(5);
  }
}

// pam_unix(dovecot:auth): authentication failure; logname= uid=0 euid=0 tty=dovecot ruser=web rhost=176.61.140.224  user=root
function readPamFields(event: DovecotAuth, detail: string): void {
  const rhost = / rhost=(\S+)/.exec(detail);
  if (rhost) event.remoteIp = rhost[1] as string;
  const user = / user=(\S+)/.exec(detail);
  if (user) event.login = user[1] as string;
}

function notice(p: DovecotPrefix): LogEvent {
  return withProcess<DovecotNotice>(
    { kind: "dovecot.notice", service: p.service, level: p.level, text: p.text },
    p,
  );
}
