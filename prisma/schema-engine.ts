// Dev/test only: drives Prisma's WASM schema engine, because the CLI's native engine cannot be
// downloaded here. `new <name>` writes the next migration; `diff` prints what is not migrated yet.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlMigrationAwareDriverAdapterFactory,
} from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import pg from "pg";
import { projectRoot } from "../lib/core/paths.ts";
import { openDatabase } from "../lib/db/connection.ts";
import { listMigrations, migrate, migrationsDir } from "../lib/db/migrate.ts";
import { migratePostgres } from "../lib/db/migrate-postgres.ts";
import { postgresPool } from "../lib/db/postgres.ts";
import { startPostgres } from "../tests/helpers/pg-server.mjs";
import { POSTGRES_SCHEMA, SQLITE_SCHEMA, writePostgresSchema } from "./postgresql-schema.ts";

const require = createRequire(import.meta.url);
// The message search's full-text index (migration search_terms): a virtual table and its shadow
// tables, which Prisma cannot describe.
const FILTERS = {
  externalTables: [
    "JourneyText",
    "JourneyText_config",
    "JourneyText_data",
    "JourneyText_docsize",
    "JourneyText_idx",
  ],
  externalEnums: [],
};

export type Dialect = "sqlite" | "postgresql";

type Disposable = { dispose(): Promise<void> };
let ready: Promise<void> | undefined;

// The WASM glue keeps module-level state: instantiate once per process or it panics.
function initWasm(): Promise<void> {
  const g = globalThis as { PRISMA_WASM_PANIC_REGISTRY?: unknown };
  g.PRISMA_WASM_PANIC_REGISTRY ??= {
    set_message: (message: string) => console.error("schema engine panic:", message),
  };
  const file = path.join(
    path.dirname(require.resolve("@prisma/schema-engine-wasm")),
    "schema_engine_bg.wasm",
  );
  ready ??= WebAssembly.instantiate(readFileSync(file), { "./schema_engine_bg.js": bg as never }).then(
    ({ instance }) => {
      (bg as unknown as { __wbg_set_wasm(exports: unknown): void }).__wbg_set_wasm(instance.exports);
      (instance.exports as { __wbindgen_start(): void }).__wbindgen_start();
    },
  );
  return ready;
}

/** Returns the SQL that would bring a SQLite database migrated with prisma/migrations up to schema.prisma ('' = no drift). */
export async function pendingSql(): Promise<string> {
  const dir = mkdtempSync(path.join(tmpdir(), "spamtrail-drift-"));
  const file = path.join(dir, "drift.db");
  const db = openDatabase(file);
  migrate(db, listMigrations());
  db.close();
  try {
    return await diffAgainstSchema(SQLITE_SCHEMA, new PrismaBetterSqlite3({ url: `file:${file}` }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The same for PostgreSQL: prisma/postgresql/migrations applied by lib/db/migrate-postgres.ts to a
 * new database on the server of `serverUrl`, compared with prisma/postgresql/schema.prisma.
 */
export async function pendingPostgresSql(serverUrl: string): Promise<string> {
  const name = `drift_${Date.now()}_${process.pid}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  try {
    const pool = postgresPool(url.toString());
    try {
      await migratePostgres(pool, listMigrations(migrationsDir("postgresql")));
    } finally {
      await pool.end();
    }
    // SQLite's full-text tables have no PostgreSQL counterpart to leave out.
    return await diffAgainstSchema(POSTGRES_SCHEMA, introspectablePg(url.toString()), {
      externalTables: [],
      externalEnums: [],
    });
  } finally {
    await admin.query(`DROP DATABASE "${name}" WITH (FORCE)`);
    await admin.end();
  }
}

// @prisma/adapter-pg 7.10 knows no column type for PostgreSQL's one-byte "char" (oid 18), which the
// engine's catalogue queries return (pg_class.relkind…): read as text, the value is the same string.
function introspectablePg(url: string): PrismaPg {
  const pool = new pg.Pool({ connectionString: url, max: 2 });
  const query = pool.query.bind(pool) as (...args: unknown[]) => Promise<pg.QueryResult>;
  (pool as unknown as { query: typeof query }).query = async (...args) => {
    const result = await query(...args);
    for (const field of result.fields ?? []) if (field.dataTypeID === 18) field.dataTypeID = 25;
    return result;
  };
  return new PrismaPg(pool, { disposeExternalPool: true });
}

// The live database (through the adapter) against a schema file: the SQL that would make them equal.
async function diffAgainstSchema(
  schemaFile: string,
  factory: SqlMigrationAwareDriverAdapterFactory,
  filters: typeof FILTERS = FILTERS,
): Promise<string> {
  await initWasm();
  const schema = { path: schemaFile, content: readFileSync(schemaFile, "utf8") };
  const opened: Disposable[] = [];
  // The engine holds an exclusive lock until its connections are disposed; free() alone leaves them open.
  for (const method of ["connect", "connectToShadowDb"] as const) {
    const original = factory[method].bind(factory);
    factory[method] = async () => {
      const adapter = await original();
      opened.push(adapter);
      return adapter;
    };
  }
  const engine = await bg.SchemaEngine.new(
    { datamodels: [[schema.path, schema.content]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(factory),
  );
  try {
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files: [schema], configDir: projectRoot() },
      to: { tag: "schemaDatamodel", files: [schema] },
      script: true,
      exitCode: null,
      filters,
    });
    return (result.stdout ?? "").replace("-- This is an empty migration.", "").trim();
  } finally {
    engine.free();
    for (const adapter of opened) await adapter.dispose();
  }
}

function timestamp(date = new Date()): string {
  return date.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}

// A throw-away server for the PostgreSQL half (the one the tests use), or the one in $SPAMTRAIL_PG_URL.
async function withPostgres<T>(run: (serverUrl: string) => Promise<T>): Promise<T> {
  if (process.env.SPAMTRAIL_PG_URL) return run(process.env.SPAMTRAIL_PG_URL);
  const server = await startPostgres();
  if ("skip" in server) throw new Error(`PostgreSQL's migration needs a server: ${server.skip}`);
  try {
    return await run(server.url);
  } finally {
    await server.stop();
  }
}

function writeMigration(dialect: Dialect, dirName: string, sql: string): void {
  const dir = path.join(migrationsDir(dialect), dirName);
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "migration.sql"), `${sql}\n`);
  writeFileSync(
    path.join(migrationsDir(dialect), "migration_lock.toml"),
    `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "${dialect}"\n`,
  );
  console.log(`wrote ${path.relative(projectRoot(), dir)}/migration.sql`);
}

async function main(argv: string[]): Promise<number> {
  const [command, name] = argv;
  if (command === "diff") {
    if (writePostgresSchema()) console.log("wrote prisma/postgresql/schema.prisma from prisma/schema.prisma");
    const sqlite = await pendingSql();
    const postgres = await withPostgres(pendingPostgresSql);
    for (const [dialect, sql] of [
      ["SQLite", sqlite],
      ["PostgreSQL", postgres],
    ] as const) {
      console.log(
        sql === "" ? `${dialect}: no drift, the migrations match the schema.` : `${dialect}:\n${sql}`,
      );
    }
    return sqlite === "" && postgres === "" ? 0 : 1;
  }
  if (command === "new") {
    if (!name || !/^[a-z0-9_]+$/.test(name)) {
      console.error("usage: npm run db:new -- <name>   (name: lower-case letters, digits and _)");
      return 2;
    }
    writePostgresSchema();
    const sqlite = await pendingSql();
    const postgres = await withPostgres(pendingPostgresSql);
    if (sqlite === "" && postgres === "") {
      console.error("Nothing to migrate: the migrations already match prisma/schema.prisma.");
      return 1;
    }
    // One name in both directories, so that a change is one migration on either database.
    const dirName = `${timestamp()}_${name}`;
    if (sqlite !== "") writeMigration("sqlite", dirName, sqlite);
    if (postgres !== "") writeMigration("postgresql", dirName, postgres);
    return 0;
  }
  console.error("usage: tsx prisma/schema-engine.ts diff | new <name>");
  return 2;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
