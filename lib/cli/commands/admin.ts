import {
  AdminAccountError,
  DEFAULT_ADMIN,
  setAdminPassword,
  usernameProblem,
} from "../../auth/admin-users.ts";
import { passwordProblem } from "../../auth/password.ts";
import { resolveDatabaseTarget } from "../../db/database-url.ts";
import { openReadClient } from "../../db/read-client.ts";
import { type Command, DB_OPTION, type Io, stringOption, UsageError } from "../command.ts";
import { readHidden, readStdin } from "../read-secret.ts";

/** The password from a terminal (asked twice, not echoed) or from stdin (first line). */
async function readPassword(io: Io, username: string): Promise<string | null> {
  const stdin = io.stdin as NodeJS.ReadableStream & { isTTY?: boolean };
  if (!stdin.isTTY) return (await readStdin(stdin)).split(/\r?\n/)[0] ?? "";
  const first = await readHidden(io, `New password for ${username}: `);
  const problem = passwordProblem(first);
  if (problem) {
    io.stderr.write(`spamtrail admin: the password ${problem}\n`);
    return null;
  }
  const second = await readHidden(io, "Repeat it: ");
  if (first !== second) {
    io.stderr.write("spamtrail admin: the passwords differ; nothing changed\n");
    return null;
  }
  return first;
}

export const adminCommand: Command = {
  name: "admin",
  summary: "Manage the dashboard's administrator account (admin set-password).",
  usage: "spamtrail admin set-password [--db PATH|URL] [--user NAME]",
  help: `
set-password creates the account or changes its password, and signs out its browsers. The password
is read from the terminal (asked twice, not shown) or, when stdin is not a terminal, from the first
line of stdin:  printf '%s\\n' "$PASSWORD" | spamtrail admin set-password
It is stored as a salted scrypt hash. The server also applies SPAMTRAIL_ADMIN_PASSWORD (for
SPAMTRAIL_ADMIN_USER, default admin) when it starts.`,
  options: {
    db: DB_OPTION,
    user: { type: "string", value: "NAME", description: `the account (default ${DEFAULT_ADMIN})` },
  },
  positionals: { min: 1, max: 1 },
  postgresql: true,
  async run(args, io) {
    const action = args.positionals[0];
    if (action !== "set-password") throw new UsageError(`unknown action '${action}' (actions: set-password)`);
    const username = stringOption(args, "user") ?? DEFAULT_ADMIN;
    const badName = usernameProblem(username);
    if (badName) throw new UsageError(`--user: ${badName}`);
    const password = await readPassword(io, username);
    if (password === null) return 1;
    const {
      prisma,
      name: path,
      close,
    } = await openReadClient(resolveDatabaseTarget(stringOption(args, "db"), io.env));
    try {
      const { created } = await setAdminPassword(prisma, { username, password });
      io.stdout.write(
        created
          ? `Created administrator ${username} in ${path}.\n`
          : `Changed the password of ${username} in ${path}; its sessions were signed out.\n`,
      );
      return 0;
    } catch (error) {
      if (!(error instanceof AdminAccountError)) throw error;
      io.stderr.write(`spamtrail admin: ${error.message}\n`);
      return 1;
    } finally {
      await close();
    }
  },
};
