import { describeTarget, resolveDatabaseTarget } from "../../db/database-url.ts";
import { migrateTarget } from "../../db/open-app-database.ts";
import { type Command, DB_OPTION, stringOption } from "../command.ts";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "Create the database or bring it up to date (every command also does this on start).",
  usage: "spamtrail migrate [--db PATH|URL]",
  options: { db: DB_OPTION },
  positionals: { min: 0, max: 0 },
  postgresql: true,
  async run(args, io) {
    const target = resolveDatabaseTarget(stringOption(args, "db"), io.env);
    const applied = await migrateTarget(target);
    const name = describeTarget(target);
    io.stdout.write(
      applied.length === 0
        ? `${name}: up to date\n`
        : `${name}: applied ${applied.length} migration(s): ${applied.join(", ")}\n`,
    );
    return 0;
  },
};
