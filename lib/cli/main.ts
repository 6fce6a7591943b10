import { pathToFileURL } from "node:url";
import { readDisplayZone } from "../core/display-zone.ts";
import { DatabaseUrlError } from "../db/database-url.ts";
import { DamagedDatabaseError } from "../db/first-import.ts";
import { MigrationError } from "../db/migrate.ts";
import { DatabaseUnavailableError } from "../db/postgres.ts";
import { WriterBusyError } from "../db/writer-lock.ts";
import { InputError } from "../ingest/discover.ts";
import {
  type Command,
  checkDatabaseChoice,
  type Io,
  parseCommandArgs,
  renderHelp,
  UsageError,
} from "./command.ts";
import { visibleOutput } from "./visible-output.ts";

// A command's module is loaded when it runs: `ingest` and `follow` do not carry the code of the
// dashboard, the report or the audit (1 M-line ingest: peak RSS ~320 -> ~280 MiB; follow, idle:
// ~180 -> ~145 MiB).
const COMMANDS: Record<string, () => Promise<Command>> = {
  ingest: async () => (await import("./commands/ingest.ts")).ingestCommand,
  follow: async () => (await import("./commands/follow.ts")).followCommand,
  findings: async () => (await import("./commands/findings.ts")).findingsCommand,
  audit: async () => (await import("./commands/audit.ts")).auditCommand,
  message: async () => (await import("./commands/message.ts")).messageCommand,
  messages: async () => (await import("./commands/messages.ts")).messagesCommand,
  users: async () => (await import("./commands/users.ts")).usersCommand,
  report: async () => (await import("./commands/report.ts")).reportCommand,
  parse: async () => (await import("./commands/parse.ts")).parseCommand,
  serve: async () => (await import("./commands/serve.ts")).serveCommand,
  demo: async () => (await import("./commands/demo.ts")).demoCommand,
  admin: async () => (await import("./commands/admin.ts")).adminCommand,
  migrate: async () => (await import("./commands/migrate.ts")).migrateCommand,
};
const NAMES = Object.keys(COMMANDS);

async function usage(): Promise<string> {
  const commands = await Promise.all(Object.values(COMMANDS).map((load) => load()));
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    "Usage: spamtrail <command> [options]",
    "",
    "Does your Postfix + DSPAM + Dovecot antispam pipeline really work?",
    "",
    "Commands:",
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    "",
    "Run 'spamtrail <command> --help' for a command's options.",
    "",
  ].join("\n");
}

const defaultIo = (): Io => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});

/** Runs the CLI; returns the exit code (2 = bad usage, 1 = failure). */
export async function main(argv: string[], given: Io = defaultIo()): Promise<number> {
  const io = { ...given, stdout: visibleOutput(given.stdout), stderr: visibleOutput(given.stderr) };
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h" || name === "help") {
    io.stdout.write(await usage());
    return name === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!load) {
    io.stderr.write(`spamtrail: unknown command '${name}' (commands: ${NAMES.join(", ")})\n`);
    return 2;
  }
  const command = await load();
  const zone = readDisplayZone(io.env);
  if ("error" in zone) {
    io.stderr.write(`spamtrail ${command.name}: ${zone.error}\n`);
    return 2;
  }
  // Every time printed or read (lib/core/display-zone.ts) is in this zone, in-process callers too.
  if (io.env.SPAMTRAIL_TZ === undefined) delete process.env.SPAMTRAIL_TZ;
  else process.env.SPAMTRAIL_TZ = io.env.SPAMTRAIL_TZ;
  try {
    const args = parseCommandArgs(command, rest);
    if (args === "help") {
      io.stdout.write(renderHelp(command));
      return 0;
    }
    checkDatabaseChoice(command, args, io.env);
    return await command.run(args, io);
  } catch (error) {
    if (error instanceof DatabaseUrlError) {
      io.stderr.write(`spamtrail ${command.name}: ${error.message}\n`);
      return 2;
    }
    if (error instanceof UsageError) {
      io.stderr.write(
        `spamtrail ${command.name}: ${error.message}\nTry 'spamtrail ${command.name} --help'.\n`,
      );
      return 2;
    }
    if (
      error instanceof InputError ||
      error instanceof MigrationError ||
      error instanceof DamagedDatabaseError ||
      error instanceof WriterBusyError ||
      error instanceof DatabaseUnavailableError
    ) {
      io.stderr.write(`spamtrail ${command.name}: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}
