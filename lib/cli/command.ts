import { parseArgs } from "node:util";
import { displayZone, parseLocalDate } from "../core/display-zone.ts";
import { DatabaseUrlError, resolveDatabaseTarget } from "../db/database-url.ts";
import { hostParam } from "../queries/message-filters.ts";
import { wrap } from "../report/text-parts.ts";

export type OptionSpec = {
  type: "string" | "boolean";
  short?: string;
  multiple?: boolean;
  /** Shown in --help after the option name, e.g. PATH. */
  value?: string;
  description: string;
};

export type Io = {
  stdout: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: NodeJS.ProcessEnv;
};

export type Parsed = {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
};

export type Command = {
  name: string;
  summary: string;
  usage: string;
  /** Paragraphs printed by --help after the usage line. */
  help?: string;
  options: Record<string, OptionSpec>;
  /** Inclusive bounds on the number of positional arguments. */
  positionals: { min: number; max: number };
  /** With a `db` option: "when given" = the command opens a database only when --db is given (audit). */
  database?: "when given";
  /** Works on PostgreSQL too; without it, a postgresql:// --db/DATABASE_URL is refused before anything runs. */
  postgresql?: true;
  run(args: Parsed, io: Io): Promise<number>;
};

/** Wrong usage: printed as one line, exit code 2. */
export class UsageError extends Error {
  override name = "UsageError";
}

const HELP: OptionSpec = { type: "boolean", short: "h", description: "show this help" };

/** Parses argv for a command with node's own parser (strict: unknown options are errors). */
export function parseCommandArgs(command: Command, argv: string[]): Parsed | "help" {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      options: { ...command.options, help: HELP },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new UsageError(cleanParseError((error as Error).message));
  }
  if (parsed.values.help) return "help";
  const count = parsed.positionals.length;
  if (count < command.positionals.min) throw new UsageError(`missing argument (usage: ${command.usage})`);
  if (count > command.positionals.max) {
    throw new UsageError(`unexpected argument '${parsed.positionals[command.positionals.max]}'`);
  }
  return { values: parsed.values as Parsed["values"], positionals: parsed.positionals };
}

// node's messages mention "Use `--` to terminate flags…" and quote with backticks; keep one short line.
function cleanParseError(message: string): string {
  return message.split(". ")[0]?.replace(/\.$/, "") ?? message;
}

/** Renders `spamtrail CMD --help`. */
export function renderHelp(command: Command): string {
  const lines = [`Usage: ${command.usage}`, "", command.summary];
  if (command.help) lines.push("", command.help.trim());
  lines.push("", "Options:");
  const entries = Object.entries({ ...command.options, help: HELP }).map(([name, spec]) => {
    const flag = `${spec.short ? `-${spec.short}, ` : "    "}--${name}${spec.type === "string" ? ` ${spec.value ?? "VALUE"}` : ""}`;
    return [flag, spec.description] as const;
  });
  const width = Math.max(...entries.map(([flag]) => flag.length));
  for (const [flag, description] of entries) lines.push(`  ${flag.padEnd(width)}  ${description}`);
  return `${lines.join("\n")}\n`;
}

export function stringOption(args: Parsed, name: string): string | undefined {
  const value = args.values[name];
  return typeof value === "string" ? value : undefined;
}

export function stringsOption(args: Parsed, name: string): string[] {
  const value = args.values[name];
  if (Array.isArray(value)) return value;
  return typeof value === "string" ? [value] : [];
}

export function flag(args: Parsed, name: string): boolean {
  return args.values[name] === true;
}

/** Parses --year: a four-digit year. */
export function yearOption(args: Parsed): number | undefined {
  const value = stringOption(args, "year");
  if (value === undefined) return undefined;
  if (!/^\d{4}$/.test(value)) throw new UsageError(`--year must be a four-digit year, got '${value}'`);
  return Number(value);
}

/**
 * Checks --db/DATABASE_URL before a command does anything (reads a password, a file, starts a build):
 * a scheme Spamtrail cannot use, or PostgreSQL for a command that does not support it, is a DatabaseUrlError.
 */
export function checkDatabaseChoice(command: Command, args: Parsed, env: NodeJS.ProcessEnv): void {
  if (!command.options.db) return;
  const given = stringOption(args, "db");
  if (given === undefined && command.database === "when given") return;
  const target = resolveDatabaseTarget(given, env);
  if (target.kind === "postgresql" && !command.postgresql) {
    throw new DatabaseUrlError(
      `this command does not work on PostgreSQL yet (${target.shown}); give it a SQLite file`,
    );
  }
}

export const DB_OPTION: OptionSpec = {
  type: "string",
  value: "PATH|URL",
  description:
    "SQLite file (a path or file:PATH) or postgresql://user:password@host/database (default: $DATABASE_URL, else data/spamtrail.db in the checkout)",
};

export const LOCAL_DOMAIN_OPTION: OptionSpec = {
  type: "string",
  multiple: true,
  value: "DOMAIN",
  description: "a domain whose mail is delivered here (repeatable; default: learnt from mailbox deliveries)",
};

/** --local-domain values, validated. */
export function localDomains(args: Parsed): string[] {
  const domains = stringsOption(args, "local-domain").map((d) => d.trim().toLowerCase());
  const bad = domains.find((d) => !/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(d));
  if (bad !== undefined)
    throw new UsageError(`--local-domain must be a domain name like example.com, got '${bad}'`);
  return domains;
}

/** Parses --since/--until: YYYY-MM-DD (local midnight; for --until the end of that day) or an ISO date-time. */
export function dateOption(args: Parsed, name: "since" | "until"): Date | undefined {
  const value = stringOption(args, name);
  if (value === undefined) return undefined;
  // --until 2026-11-22 takes in that whole day; a time is the exact end, as the option says.
  const date = parseLocalDate(value, name === "until" && !/[T ]\d/.test(value.trim()));
  if (date) return date;
  throw new UsageError(
    `--${name} must be a date (2026-11-22) or date-time (2026-11-22T07:00) in ${displayZone()}, got '${value}'`,
  );
}

export const HOST_OPTION: OptionSpec = {
  type: "string",
  value: "HOST",
  description: "only this mail server (its syslog host name): messages that touched it, its retrainings",
};

/** --host, validated as the dashboard's ?host= is. */
export function hostOption(args: Parsed): string | undefined {
  const value = stringOption(args, "host");
  if (value === undefined) return undefined;
  const host = hostParam(value);
  if (host) return host;
  throw new UsageError(`--host must be a syslog host name (letters, digits, . - _), got '${value}'`);
}

/** How wide lines may be: the terminal's width, or 100 columns when the output is not a terminal. */
export function outputWidth(stream: Io["stdout"]): number {
  return stream.isTTY && stream.columns ? Math.max(40, stream.columns) : 100;
}

/** Wraps text to `width`, line by line: each line keeps its own indentation after `indent`. */
export function wrapLines(text: string, indent: string, width: number, first = indent): string[] {
  return text.split("\n").flatMap((line, i) => {
    const own = /^\s*/.exec(line)?.[0] ?? "";
    return wrap(line.trim(), `${indent}${own}`, `${i === 0 ? first : indent}${own}`, width).split("\n");
  });
}
