import { randomUUID } from "node:crypto";
import type pg from "pg";
import {
  listMigrations,
  type Migration,
  MigrationError,
  type MigrationRow,
  migrationChecksum,
  migrationsDir,
  pendingMigrations,
} from "./migrate.ts";
import { connectPostgres } from "./postgres.ts";

// Prisma's own DDL and advisory-lock key for PostgreSQL: `prisma migrate deploy` and this migrator
// accept each other's databases and never run at the same time.
const MIGRATIONS_TABLE = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
  "id" VARCHAR(36) PRIMARY KEY NOT NULL, "checksum" VARCHAR(64) NOT NULL, "finished_at" TIMESTAMPTZ,
  "migration_name" VARCHAR(255) NOT NULL, "logs" TEXT, "rolled_back_at" TIMESTAMPTZ,
  "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(), "applied_steps_count" INTEGER NOT NULL DEFAULT 0)`;
const PRISMA_MIGRATE_LOCK = 72707369;

/**
 * Applies pending PostgreSQL migrations, each in its own transaction (PostgreSQL's DDL is
 * transactional); several followers starting at once wait for one another on the advisory lock.
 */
export async function migratePostgres(
  pool: pg.Pool,
  migrations: Migration[] = listMigrations(migrationsDir("postgresql")),
  shown = "the database",
): Promise<string[]> {
  const client = await connectPostgres(pool, shown);
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PRISMA_MIGRATE_LOCK]);
    try {
      await client.query(MIGRATIONS_TABLE);
      const { rows } = await client.query<MigrationRow>(
        'SELECT migration_name, checksum, finished_at, rolled_back_at FROM "_prisma_migrations"',
      );
      const applied: string[] = [];
      for (const migration of pendingMigrations(rows, migrations)) {
        await applyOne(client, migration);
        applied.push(migration.name);
      }
      return applied;
    } finally {
      await client.query("SELECT pg_advisory_unlock($1)", [PRISMA_MIGRATE_LOCK]);
    }
  } finally {
    client.release();
  }
}

async function applyOne(client: pg.PoolClient, migration: Migration): Promise<void> {
  const id = randomUUID();
  await client.query(
    `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
    [id, migrationChecksum(migration), migration.name],
  );
  try {
    await client.query("BEGIN");
    // No parameters: the simple query protocol runs the file's many statements in one go.
    await client.query(migration.sql.toString("utf8"));
    await client.query(
      `UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`,
      [id],
    );
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK");
    await client.query(`UPDATE "_prisma_migrations" SET logs = $1 WHERE id = $2`, [String(error), id]);
    throw new MigrationError(`${migration.name}: ${(error as Error).message}`);
  }
}
