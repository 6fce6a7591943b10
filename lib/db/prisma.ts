import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { PrismaClient as PostgresPrismaClient } from "../../generated/prisma-pg/client.ts";
import { markDialect } from "../queries/dialect.ts";
import { resolveDatabaseTarget } from "./database-url.ts";

const globalForPrisma = globalThis as unknown as {
  spamtrailPrisma?: Map<string, PrismaClient>;
  spamtrailPostgresPrisma?: Map<string, PostgresPrismaClient>;
};

/** The Prisma client for a database file (one per file and process); reads, and the dashboard's few writes. */
export function prismaFor(file: string): PrismaClient {
  globalForPrisma.spamtrailPrisma ??= new Map();
  let client = globalForPrisma.spamtrailPrisma.get(file);
  if (!client) {
    const adapter = new PrismaBetterSqlite3(
      { url: `file:${file}`, timeout: 10_000 },
      { timestampFormat: "unixepoch-ms" },
    );
    client = new PrismaClient({ adapter });
    globalForPrisma.spamtrailPrisma.set(file, client);
  }
  return client;
}

/**
 * The client of the configured database (DATABASE_URL, else data/spamtrail.db): what the web server
 * uses. On PostgreSQL, the client generated from prisma/postgresql/schema.prisma: the same models
 * (one schema), so it is handed out as SQLite's type (see lib/db/read-client.ts).
 */
export function getPrisma(): PrismaClient {
  const target = resolveDatabaseTarget();
  return target.kind === "sqlite"
    ? prismaFor(target.file)
    : (postgresPrismaFor(target.url) as unknown as PrismaClient);
}

/**
 * The Prisma client of a PostgreSQL database (one per URL and process), generated from
 * prisma/postgresql/schema.prisma: the same models as SQLite's client. The URL goes to `pg` whole.
 */
export function postgresPrismaFor(url: string): PostgresPrismaClient {
  globalForPrisma.spamtrailPostgresPrisma ??= new Map();
  let client = globalForPrisma.spamtrailPostgresPrisma.get(url);
  if (!client) {
    client = new PostgresPrismaClient({ adapter: new PrismaPg({ connectionString: url }) });
    markDialect(client, "postgresql");
    globalForPrisma.spamtrailPostgresPrisma.set(url, client);
  }
  return client;
}
