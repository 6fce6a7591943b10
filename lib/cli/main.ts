import { pathToFileURL } from "node:url";
import { readDisplayZone } from "../core/display-zone.ts";
import { DatabaseUrlError } from "../db/database-url.ts";
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
import { adminCommand } from "./commands/admin.ts";
import { auditCommand } from "./commands/audit.ts";
import { demoCommand } from "./commands/demo.ts";
import { findingsCommand } from "./commands/findings.ts";
import { followCommand } from "./commands/follow.ts";
import { ingestCommand } from "./commands/ingest.ts";
import { messageCommand } from "./commands/message.ts";
import { messagesCommand } from "./commands/messages.ts";
import { migrateCommand } from "./commands/migrate.ts";
import { parseCommand } from "./commands/parse.ts";
import { reportCommand } from "./commands/report.ts";
import { serveCommand } from "./commands/serve.ts";
import { usersCommand } from "./commands/users.ts";
import { visibleOutput } from "./visible-output.ts";

const COMMANDS: Command[] = [
  ingestCommand,
  followCommand,
  findingsCommand,
  auditCommand,
  messageCommand,
  messagesCommand,
  usersCommand,
  reportCommand,
  parseCommand,
  serveCommand,
  demoCommand,
  adminCommand,
  migrateCommand,
];

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    "Usage: spamtrail <command> [options]",
    "",
    "Does your Postfix + DSPAM + Dovecot antispam pipeline really work?",
    "",
    "Commands:",
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
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
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    io.stderr.write(
      `spamtrail: unknown command '${name}' (commands: ${COMMANDS.map((c) => c.name).join(", ")})\n`,
    );
    return 2;
  }
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
