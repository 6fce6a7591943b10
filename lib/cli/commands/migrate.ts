import { existsSync } from "node:fs";
import path from "node:path";
import { describeTarget, resolveDatabaseTarget } from "../../db/database-url.ts";
import { migrateTarget, openAppDatabase } from "../../db/open-app-database.ts";
import { connectPostgres, postgresPool } from "../../db/postgres.ts";
import { CopyTargetNotEmptyError, copySqliteToPostgres } from "../../store/postgres/copy-from-sqlite.ts";
import { type Command, DB_OPTION, type Io, stringOption, UsageError } from "../command.ts";

export const migrateCommand: Command = {
  name: "migrate",
  summary: "Create the database or bring it up to date (every command also does this on start).",
  usage: "spamtrail migrate [--db PATH|URL] [--copy-from SQLITE-FILE]",
  help: `With --copy-from, the PostgreSQL database of --db (new, or migrated and empty) receives every row
of a SQLite database, in one transaction: how an install moves to PostgreSQL.`,
  options: {
    db: DB_OPTION,
    "copy-from": {
      type: "string",
      value: "SQLITE-FILE",
      description: "copy a SQLite database's data into the (empty) PostgreSQL database of --db",
    },
  },
  positionals: { min: 0, max: 0 },
  postgresql: true,
  async run(args, io) {
    const target = resolveDatabaseTarget(stringOption(args, "db"), io.env);
    const from = stringOption(args, "copy-from");
    if (from !== undefined) {
      if (target.kind !== "postgresql")
        throw new UsageError("--copy-from copies into PostgreSQL: give --db postgresql://…");
      if (!existsSync(from)) throw new UsageError(`--copy-from: ${from}: no such file`);
    }
    const applied = await migrateTarget(target);
    const name = describeTarget(target);
    io.stdout.write(
      applied.length === 0
        ? `${name}: up to date\n`
        : `${name}: applied ${applied.length} migration(s): ${applied.join(", ")}\n`,
    );
    if (from === undefined || target.kind !== "postgresql") return 0;
    return copy(path.resolve(from), target.url, name, io);
  },
};

async function copy(file: string, url: string, name: string, io: Io): Promise<number> {
  const { db } = openAppDatabase(file);
  const pool = postgresPool(url, { max: 1 });
  const client = await connectPostgres(pool, name);
  try {
    const copied = await copySqliteToPostgres(db, client);
    const total = [...copied.values()].reduce((a, b) => a + b, 0);
    const tables = [...copied]
      .filter(([, n]) => n > 0)
      .map(([table, n]) => `${table} ${n.toLocaleString("en-US")}`);
    io.stdout.write(
      `${name}: copied ${total.toLocaleString("en-US")} rows from ${file} (${tables.join(", ")})\n`,
    );
    return 0;
  } catch (error) {
    if (!(error instanceof CopyTargetNotEmptyError)) throw error;
    io.stderr.write(`spamtrail migrate: ${error.message}; copy into a new database\n`);
    return 1;
  } finally {
    client.release();
    await pool.end();
    db.close();
  }
}
