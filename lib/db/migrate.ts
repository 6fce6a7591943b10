import { createHash, randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { projectRoot } from "../core/paths.ts";
import type { Db } from "./connection.ts";
import { resumeInterruptedImport } from "./first-import.ts";

// Same DDL as Prisma's own engine, so `prisma migrate deploy` would accept a database migrated here.
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" TEXT PRIMARY KEY NOT NULL, "checksum" TEXT NOT NULL, "finished_at" DATETIME,
  "migration_name" TEXT NOT NULL, "logs" TEXT, "rolled_back_at" DATETIME,
  "started_at" DATETIME NOT NULL DEFAULT current_timestamp, "applied_steps_count" INTEGER UNSIGNED NOT NULL DEFAULT 0)`;

export type Migration = { name: string; sql: Buffer };

export class MigrationError extends Error {
  override name = "MigrationError";
}

/** Where a database's migrations are: SQLite's in prisma/migrations, PostgreSQL's in prisma/postgresql/migrations. */
export function migrationsDir(dialect: "sqlite" | "postgresql" = "sqlite"): string {
  return dialect === "sqlite"
    ? path.join(projectRoot(), "prisma", "migrations")
    : path.join(projectRoot(), "prisma", "postgresql", "migrations");
}

/** Lists prisma/migrations/<timestamp>_<name>/migration.sql in the order Prisma applies them. */
// The turbopackIgnore comments keep Next's build from tracing the whole checkout into its output.
export function listMigrations(dir = migrationsDir()): Migration[] {
  if (!existsSync(/*turbopackIgnore: true*/ dir)) return [];
  return readdirSync(/*turbopackIgnore: true*/ dir, { withFileTypes: true })
    .filter(
      (entry) =>
        entry.isDirectory() &&
        existsSync(/*turbopackIgnore: true*/ path.join(dir, entry.name, "migration.sql")),
    )
    .map((entry) => entry.name)
    .sort()
    .map((name) => ({
      name,
      sql: readFileSync(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql")),
    }));
}

const now = () => new Date().toISOString().replace("Z", "+00:00");

/** What `_prisma_migrations` says of a migration. */
export type MigrationRow = {
  migration_name: string;
  checksum: string;
  finished_at: unknown;
  rolled_back_at: unknown;
};

/** The migrations still to apply, in order; a migration that failed earlier blocks them all (as Prisma's P3009). */
export function pendingMigrations(rows: MigrationRow[], migrations: Migration[]): Migration[] {
  const failed = rows.find((row) => row.finished_at === null && row.rolled_back_at === null);
  if (failed) {
    throw new MigrationError(
      `migration ${failed.migration_name} failed earlier and blocks the others; restore a backup or fix the database, then mark it rolled back`,
    );
  }
  const done = new Set(rows.filter((row) => row.finished_at !== null).map((row) => row.migration_name));
  return migrations.filter((migration) => !done.has(migration.name));
}

/** `_prisma_migrations.checksum`: sha256 of the file's bytes, as Prisma computes it. */
export function migrationChecksum(migration: Migration): string {
  return createHash("sha256").update(migration.sql).digest("hex");
}

/** Applies pending migrations, each in its own transaction; returns the names applied. */
export function migrate(db: Db, migrations = listMigrations()): string[] {
  db.exec(MIGRATIONS_TABLE);
  const rows = db
    .prepare("SELECT migration_name, checksum, finished_at, rolled_back_at FROM _prisma_migrations")
    .all() as MigrationRow[];
  const applied: string[] = [];
  for (const migration of pendingMigrations(rows, migrations)) {
    // A migration expects the schema whole: indexes an import deferred and never built come first.
    if (applied.length === 0) resumeInterruptedImport(db);
    applyOne(db, migration);
    applied.push(migration.name);
  }
  return applied;
}

function applyOne(db: Db, migration: Migration): void {
  const id = randomUUID();
  const checksum = migrationChecksum(migration);
  db.prepare(
    "INSERT INTO _prisma_migrations (id, checksum, migration_name, started_at, applied_steps_count) VALUES (?, ?, ?, ?, 0)",
  ).run(id, checksum, migration.name, now());
  // Prisma's table-redefinition scripts turn foreign keys off, which SQLite ignores inside a
  // transaction; left on, dropping the old table would cascade-delete the children.
  db.pragma("foreign_keys = OFF");
  try {
    db.transaction(() => {
      db.exec(migration.sql.toString("utf8"));
      const violations = db.pragma("foreign_key_check") as unknown[];
      if (violations.length > 0) throw new MigrationError(`${migration.name}: foreign key check failed`);
      db.prepare("UPDATE _prisma_migrations SET finished_at = ?, applied_steps_count = 1 WHERE id = ?").run(
        now(),
        id,
      );
    })();
  } catch (error) {
    db.prepare("UPDATE _prisma_migrations SET logs = ? WHERE id = ?").run(String(error), id);
    throw error;
  } finally {
    db.pragma("foreign_keys = ON");
  }
}
