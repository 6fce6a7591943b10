// Where the report goes and how: SMTP server, sender, recipients, dashboard URL, schedule. Read
// from the environment (documented in the README under "spamtrail report").
import { readFileSync } from "node:fs";
import { hostname } from "node:os";
import { Cron } from "croner";
import { checkBaseUrl } from "./links.ts";

/** auto: STARTTLS when the server offers it; starttls: required; tls: TLS from the first byte (465); none: never. */
export type SmtpSecurity = "auto" | "starttls" | "tls" | "none";

export type SmtpConfig = {
  host: string;
  port: number;
  security: SmtpSecurity;
  user: string | null;
  password: string | null;
  /** Connection, greeting and socket timeout. */
  timeoutMs: number;
};

export type ReportConfig = {
  smtp: SmtpConfig;
  from: string;
  /** Empty when SPAMTRAIL_REPORT_TO is not set (then --to must name them). */
  to: string[];
  baseUrl: string | null;
  /** Cron expression (display zone, SPAMTRAIL_TZ) after which a finished week is due: sendDueReports. */
  schedule: string;
};

/** A configuration value that cannot work: printed as one line, exit 2 (like bad usage). */
export class ConfigError extends Error {
  override name = "ConfigError";
}

export const DEFAULT_SCHEDULE = "0 7 * * 1";

const SECURITY: Record<string, SmtpSecurity> = {
  auto: "auto",
  starttls: "starttls",
  tls: "tls",
  ssl: "tls",
  none: "none",
  no: "none",
  off: "none",
};

// "Name <user@host>" or "user@host"; no spaces or angle brackets inside the address.
const ADDRESS = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@,;]+@[^\s<>@,;]+)$/;

/** Splits a recipient list ("a@x, b@y" or repeated options) and checks each address. */
export function parseAddresses(values: readonly string[], what: string): string[] {
  const addresses = values
    .flatMap((v) => (v.includes("<") ? v.split(/[,;]/) : v.split(/[\s,;]+/)))
    .map((a) => a.trim())
    .filter(Boolean);
  const bad = addresses.find((a) => !ADDRESS.test(a));
  if (bad !== undefined)
    throw new ConfigError(`${what} must be mail addresses like ops@example.com, got '${bad}'`);
  return addresses;
}

/** Reads the report's configuration from the environment; a bad value is a ConfigError naming the variable. */
export function readReportConfig(env: NodeJS.ProcessEnv): ReportConfig {
  const value = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === "" ? null : v;
  };
  const securityText = (value("SPAMTRAIL_SMTP_SECURE") ?? "auto").toLowerCase();
  const security = SECURITY[securityText];
  if (!security) {
    throw new ConfigError(`SPAMTRAIL_SMTP_SECURE must be auto, starttls, tls or none, got '${securityText}'`);
  }
  const user = value("SPAMTRAIL_SMTP_USER");
  const password = readPassword(env);
  if (user !== null && password === null) {
    throw new ConfigError(
      "SPAMTRAIL_SMTP_USER is set but SPAMTRAIL_SMTP_PASSWORD (or _PASSWORD_FILE) is not",
    );
  }
  const portText = value("SPAMTRAIL_SMTP_PORT");
  const port = portText === null ? (security === "tls" ? 465 : user !== null ? 587 : 25) : Number(portText);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new ConfigError(`SPAMTRAIL_SMTP_PORT must be a port number, got '${portText}'`);
  }
  const from = value("SPAMTRAIL_REPORT_FROM") ?? `Spamtrail <spamtrail@${hostname()}>`;
  parseAddresses([from], "SPAMTRAIL_REPORT_FROM");
  const schedule = value("SPAMTRAIL_REPORT_SCHEDULE") ?? DEFAULT_SCHEDULE;
  checkSchedule(schedule);
  return {
    smtp: {
      host: value("SPAMTRAIL_SMTP_HOST") ?? "localhost",
      port,
      security,
      user,
      password,
      timeoutMs: 30_000,
    },
    from,
    to: parseAddresses([value("SPAMTRAIL_REPORT_TO") ?? ""], "SPAMTRAIL_REPORT_TO"),
    baseUrl: readBaseUrl(env),
    schedule,
  };
}

/** SPAMTRAIL_BASE_URL, checked: the dashboard's address for the report's links (null: no links). */
export function readBaseUrl(env: NodeJS.ProcessEnv): string | null {
  const text = env.SPAMTRAIL_BASE_URL?.trim();
  if (!text) return null;
  const checked = checkBaseUrl(text);
  if ("error" in checked) throw new ConfigError(checked.error);
  return checked.url;
}

function readPassword(env: NodeJS.ProcessEnv): string | null {
  if (env.SPAMTRAIL_SMTP_PASSWORD) return env.SPAMTRAIL_SMTP_PASSWORD;
  const file = env.SPAMTRAIL_SMTP_PASSWORD_FILE;
  if (!file) return null;
  try {
    return readFileSync(file, "utf8").replace(/\r?\n$/, "");
  } catch (error) {
    throw new ConfigError(
      `SPAMTRAIL_SMTP_PASSWORD_FILE: cannot read ${file} (${(error as NodeJS.ErrnoException).code ?? "error"})`,
    );
  }
}

/** Checks a cron expression (5 or 6 fields, croner syntax). */
export function checkSchedule(schedule: string): void {
  try {
    new Cron(schedule, { paused: true }).stop();
  } catch (error) {
    throw new ConfigError(
      `SPAMTRAIL_REPORT_SCHEDULE must be a cron expression like '${DEFAULT_SCHEDULE}', got '${schedule}' (${(error as Error).message})`,
    );
  }
}
