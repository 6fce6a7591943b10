import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaClient } from "../../generated/prisma/client.ts";
import { resolveDatabasePath } from "../core/paths.ts";

const globalForPrisma = globalThis as unknown as { spamtrailPrisma?: PrismaClient };

/** The one Prisma client of the web server (reads, and the dashboard's few writes). */
export function getPrisma(): PrismaClient {
  if (!globalForPrisma.spamtrailPrisma) {
    const adapter = new PrismaBetterSqlite3(
      { url: `file:${resolveDatabasePath()}`, timeout: 10_000 },
      { timestampFormat: "unixepoch-ms" },
    );
    globalForPrisma.spamtrailPrisma = new PrismaClient({ adapter });
  }
  return globalForPrisma.spamtrailPrisma;
}
