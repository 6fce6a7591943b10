import type pg from "pg";
import { inTransaction } from "../../db/postgres.ts";
import { type SavedSnapshot, type SnapshotInput, snapshotColumns } from "../config-snapshots.ts";
import { pgTime } from "./sql.ts";

// Two audits saving at once (followers of one server, or an audit beside one) take turns: each
// compares with the latest snapshot the other may just have written.
const SNAPSHOT_LOCK = 0x5370_4353; // "SpCS"

/** lib/store/config-snapshots.ts saveConfigSnapshot on PostgreSQL. */
export async function saveConfigSnapshotPostgres(
  pool: pg.Pool,
  input: SnapshotInput,
): Promise<SavedSnapshot> {
  const { hash, settings, results } = snapshotColumns(input);
  const client = await pool.connect();
  try {
    return await inTransaction(client, async () => {
      await client.query("SELECT pg_advisory_xact_lock($1)", [SNAPSHOT_LOCK]);
      const { rows } = await client.query<{ id: number; hash: string }>(
        `SELECT id, hash FROM "ConfigSnapshot" ORDER BY "takenAt" DESC, id DESC LIMIT 1`,
      );
      const latest = rows[0];
      if (latest?.hash === hash) {
        await client.query(
          `UPDATE "ConfigSnapshot" SET "seenAt" = $1, results = $2, source = $3 WHERE id = $4`,
          [pgTime(input.now), results, input.source, latest.id],
        );
        return { id: latest.id, changed: false, previousId: null };
      }
      const inserted = await client.query<{ id: number }>(
        `INSERT INTO "ConfigSnapshot" (hash, "takenAt", "seenAt", source, settings, results)
         VALUES ($1, $2, $2, $3, $4, $5) RETURNING id`,
        [hash, pgTime(input.now), input.source, settings, results],
      );
      return { id: Number(inserted.rows[0]?.id), changed: true, previousId: latest?.id ?? null };
    });
  } finally {
    client.release();
  }
}
