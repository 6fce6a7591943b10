import pg from "pg";

// int8 (BigInt columns, count(*)) as numbers: Spamtrail's counts, offsets and sizes stay far below 2^53.
pg.types.setTypeParser(pg.types.builtins.INT8, (text) => Number(text));

/**
 * A pool on the server of a postgresql:// URL. The URL goes to `pg` whole, so its TLS options
 * (sslmode, sslrootcert, sslcert, sslkey) and a socket directory (?host=/run/postgresql) apply.
 */
export function postgresPool(url: string, options: { max?: number; application?: string } = {}): pg.Pool {
  return new pg.Pool({
    connectionString: url,
    max: options.max ?? 4,
    application_name: options.application ?? "spamtrail",
    // A server that is down or unreachable is said within seconds, not after the OS's TCP timeout.
    connectionTimeoutMillis: 15_000,
  });
}

/** Runs `work` as one transaction of the client: committed when it resolves, rolled back when it throws. */
export async function inTransaction<T>(client: pg.ClientBase, work: () => Promise<T>): Promise<T> {
  await client.query("BEGIN");
  try {
    const result = await work();
    await client.query("COMMIT");
    return result;
  } catch (error) {
    // A connection that broke has no transaction left to roll back: the first error is the one to tell.
    await client.query("ROLLBACK").catch(() => undefined);
    throw error;
  }
}

/** The server cannot be reached or refuses us: one line naming it (without its password), exit 1. */
export class DatabaseUnavailableError extends Error {
  override name = "DatabaseUnavailableError";
}

/** A client of the pool; a server that cannot be reached becomes a DatabaseUnavailableError. */
export async function connectPostgres(pool: pg.Pool, shown: string): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    throw new DatabaseUnavailableError(`cannot use PostgreSQL at ${shown}: ${(error as Error).message}`);
  }
}
