import type { PrismaClient } from "../../generated/prisma/client.ts";
import { type DatabaseTarget, describeTarget } from "./database-url.ts";
import { migrateTarget } from "./open-app-database.ts";
import { postgresPrismaFor, prismaFor } from "./prisma.ts";

/** A reading command's database: migrated, its Prisma client, its name for the user. */
export type ReadClient = { prisma: PrismaClient; name: string; close(): Promise<void> };

/**
 * Opens the database of a target for a command that reads (and applies pending migrations, as
 * every command does). On PostgreSQL the client is the one generated from
 * prisma/postgresql/schema.prisma: the same models, fields and types as SQLite's (one schema,
 * tests/postgres-copy.test.ts reads every model through both), so the query functions take it
 * as SQLite's type; their raw SQL goes through lib/queries/dialect.ts.
 */
export async function openReadClient(target: DatabaseTarget): Promise<ReadClient> {
  await migrateTarget(target);
  if (target.kind === "sqlite") {
    return { prisma: prismaFor(target.file), name: target.file, close: async () => {} };
  }
  const client = postgresPrismaFor(target.url);
  return {
    prisma: client as unknown as PrismaClient,
    name: describeTarget(target),
    // The pool would keep the process alive after the command.
    close: () => client.$disconnect(),
  };
}
