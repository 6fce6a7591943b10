import { openAppDatabase } from "../../db/open-app-database.ts";
import { type Command, DB_OPTION, stringOption } from "../command.ts";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "Create the database or bring it up to date (every command also does this on start).",
  usage: "spamtrail migrate [--db PATH|URL]",
  options: { db: DB_OPTION },
  positionals: { min: 0, max: 0 },
  async run(args, io) {
    const { db, path, applied } = openAppDatabase(stringOption(args, "db"), io.env);
    db.close();
    io.stdout.write(
      applied.length === 0
        ? `${path}: up to date\n`
        : `${path}: applied ${applied.length} migration(s): ${applied.join(", ")}\n`,
    );
    return 0;
  },
};
