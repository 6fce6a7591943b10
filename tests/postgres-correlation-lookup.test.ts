// The decisions of lib/correlate/resolve.ts against PostgreSQL: the tables of
// tests/helpers/resolve-cases.ts and relay-cases.ts (servers' halves, Dovecot's stores), with the store's rows in PostgreSQL (written by
// PostgresJourneyWriter) and the lookup answered by the batch's scratch copy (MirroredLookup).
import assert from "node:assert/strict";
import { after, before, describe, test } from "node:test";
import type pg from "pg";
import { resolveOutputs, type StoreWrite } from "../lib/correlate/resolve.ts";
import { migratePostgres } from "../lib/db/migrate-postgres.ts";
import { postgresPool } from "../lib/db/postgres.ts";
import { PostgresJourneyWriter } from "../lib/store/postgres/journey-writer.ts";
import { MirroredLookup } from "../lib/store/postgres/mirrored-lookup.ts";
import { freshPostgresDatabase, postgresSkip } from "./helpers/postgres.ts";
import { RELAY_CASES, STORE_CASES } from "./helpers/relay-cases.ts";
import { describeWrite, RESOLVE_CASES } from "./helpers/resolve-cases.ts";

const skip = await postgresSkip();

describe("correlation decisions answered from PostgreSQL", { skip }, () => {
  let pool: pg.Pool;
  let client: pg.PoolClient;
  const mirror = new MirroredLookup();
  before(async () => {
    pool = postgresPool(await freshPostgresDatabase());
    await migratePostgres(pool);
    client = await pool.connect();
  });
  after(async () => {
    mirror.close();
    client?.release();
    await pool?.end();
  });

  for (const c of [...RESOLVE_CASES, ...RELAY_CASES, ...STORE_CASES]) {
    test(c.name, async () => {
      // Each case in a transaction rolled back after it: one database for the whole table.
      await client.query("BEGIN");
      try {
        const writer = new PostgresJourneyWriter(client);
        await writer.applyAll(c.store);
        await mirror.load(client, c.outputs);
        const writes: StoreWrite[] = [];
        resolveOutputs(c.outputs, mirror.lookup, (write) => {
          writes.push(write);
          mirror.apply(write);
        });
        await writer.applyAll(writes);
        assert.deepEqual(writes.map(describeWrite), c.writes);
      } finally {
        await client.query("ROLLBACK");
      }
    });
  }
});
