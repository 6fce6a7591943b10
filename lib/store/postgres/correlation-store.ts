import type pg from "pg";
import { type BlockLine, decodeBlock } from "../../core/line-block.ts";
import type { CorrelatorSnapshot } from "../../correlate/correlator.ts";
import { resolveOutputs, type StoreWrite } from "../../correlate/resolve.ts";
import type { FileKind } from "../../ingest/file-kind.ts";
import { BLOCK_LINES } from "../line-store.ts";
import { type BatchResult, type CorrelationBatch, resultOf } from "../write-batch.ts";
import { PostgresDetection } from "./detection.ts";
import { PostgresJourneyWriter } from "./journey-writer.ts";
import { MirroredLookup } from "./mirrored-lookup.ts";
import { pgTime } from "./sql.ts";

// The correlator's position: every line up to this id has been fed to it (a Setting row, saved
// with its state in one transaction).
const THROUGH_KEY = "correlatedThrough";

// The session lock whose holder correlates: one process at a time, on any host.
export const LEADER_LOCK = 0x5370_4c44; // "SpLD"

/** Takes the leader's lock for the client's session if no other session holds it; whether it did. */
export async function tryLeaderLock(client: pg.ClientBase): Promise<boolean> {
  const { rows } = await client.query<{ ok: boolean }>(`SELECT pg_try_advisory_lock($1) AS ok`, [
    LEADER_LOCK,
  ]);
  return rows[0]?.ok === true;
}

export async function releaseLeaderLock(client: pg.ClientBase): Promise<void> {
  await client.query(`SELECT pg_advisory_unlock($1)`, [LEADER_LOCK]);
}

// Every line up to the position whose time is at most this was fed to the correlator; those
// newer wait for the followers' marks (lib/store/postgres/watermark.ts).
const UNTIL_KEY = "correlatedUntil";

/**
 * Where correlation stands: the correlator's saved state, the last line id it has read
 * (`through`) and the log time up to which it has fed those lines (`until`).
 */
export async function loadCorrelation(
  client: pg.ClientBase,
): Promise<{ snapshot: CorrelatorSnapshot | undefined; through: number; until: number }> {
  const { snapshot, through } = await loadPosition(client);
  const { rows } = await client.query<{ value: string }>(`SELECT "value" FROM "Setting" WHERE "key" = $1`, [
    UNTIL_KEY,
  ]);
  if (rows[0]) return { snapshot, through, until: Number(rows[0].value) };
  // Saved before lines waited for marks (or never): every line up to the position was fed.
  const newest = await client.query<{ last: number | null }>(
    `SELECT max("lastSecond") AS last FROM "LineBlock" WHERE "id" <= $1`,
    [through],
  );
  const last = newest.rows[0]?.last;
  return { snapshot, through, until: last === null || last === undefined ? 0 : last * 1000 + 999 };
}

async function loadPosition(
  client: pg.ClientBase,
): Promise<{ snapshot: CorrelatorSnapshot | undefined; through: number }> {
  const state = await client.query<{ snapshot: string }>(
    `SELECT "snapshot" FROM "CorrelatorState" WHERE "id" = 1`,
  );
  const through = await client.query<{ value: string }>(`SELECT "value" FROM "Setting" WHERE "key" = $1`, [
    THROUGH_KEY,
  ]);
  const snapshot = state.rows[0] ? (JSON.parse(state.rows[0].snapshot) as CorrelatorSnapshot) : undefined;
  if (through.rows[0]) return { snapshot, through: Number(through.rows[0].value) };
  // A state without a position was copied from SQLite (migrate --copy-from): every line it holds was correlated there.
  if (!snapshot) return { snapshot, through: 0 };
  const last = await client.query<{ last: number | null }>(
    `SELECT max("id" + "count") - 1 AS last FROM "LineBlock"`,
  );
  return { snapshot, through: last.rows[0]?.last ?? 0 };
}

export type PendingLine = BlockLine & { kind: FileKind; dspamUser: string | null };

/**
 * Stored lines after `through`, in id order, at most about `limit`. Line ids are handed out under
 * a lock held until the writer commits (lib/store/postgres/line-store.ts): once a line is visible,
 * every line before it is, so nothing is skipped by reading in id order.
 */
export async function readLinesAfter(
  client: pg.ClientBase,
  through: number,
  limit: number,
): Promise<PendingLine[]> {
  const { rows } = await client.query<{ id: number; count: number; compressed: boolean; data: Buffer }>(
    `SELECT "id", "count", "compressed", "data" FROM "LineBlock"
     WHERE "id" > $1 AND "id" + "count" - 1 > $2 ORDER BY "id" LIMIT $3`,
    [through - BLOCK_LINES, through, Math.max(1, Math.ceil(limit / BLOCK_LINES))],
  );
  return withSources(
    client,
    rows.flatMap((block) => decodeBlock(block)).filter((line) => line.id > through),
  );
}

/** Stored lines up to `through` newer than `until`: read, not correlated yet (they wait for the followers' marks). */
export async function readHeldLines(
  client: pg.ClientBase,
  through: number,
  until: number,
): Promise<PendingLine[]> {
  const { rows } = await client.query<{ id: number; count: number; compressed: boolean; data: Buffer }>(
    `SELECT "id", "count", "compressed", "data" FROM "LineBlock" WHERE "lastSecond" >= $1 AND "id" <= $2 ORDER BY "id"`,
    [Math.max(0, Math.floor(until / 1000)), through],
  );
  return withSources(
    client,
    rows
      .flatMap((block) => decodeBlock(block))
      .filter((line) => line.id <= through && (line.ts ?? 0) > until),
  );
}

async function withSources(client: pg.ClientBase, lines: BlockLine[]): Promise<PendingLine[]> {
  const sources = new Set(lines.map((line) => line.sourceId));
  const kinds = await client.query<{ id: number; kind: FileKind; dspamUser: string | null }>(
    `SELECT "id", "kind", "dspamUser" FROM "Source" WHERE "id" = ANY($1::int[])`,
    [[...sources]],
  );
  const byId = new Map(kinds.rows.map((row) => [row.id, row]));
  // Spelled out, not spread: a window holds up to 200,000 of these, and a spread's copies were
  // each given a hidden class of their own (about 300 bytes more per line).
  return lines.map(({ id, sourceId, lineNo, byteOffset, ts, event, text }) => {
    const source = byId.get(sourceId);
    const kind = source?.kind ?? "syslog";
    return { id, sourceId, lineNo, byteOffset, ts, event, text, kind, dspamUser: source?.dspamUser ?? null };
  });
}

/** Correlation stopped because another process correlated meanwhile (it holds the leader's lock now). */
export class LeadershipLostError extends Error {
  override name = "LeadershipLostError";
}

/**
 * Writes what the correlator made of lines on PostgreSQL, in the caller's transaction: the same
 * decisions as SQLite's batch store (lib/store/sqlite-batch-store.ts), its state and position.
 */
export class PostgresCorrelationStore {
  private readonly mirror = new MirroredLookup();
  private detection: PostgresDetection | undefined;
  private localDomains: readonly string[] = [];

  async apply(
    client: pg.ClientBase,
    batch: CorrelationBatch,
    position: { from: number; to: number; until: number },
    now: number,
  ): Promise<BatchResult> {
    // Two leaders never write: the position read here is locked until this transaction ends.
    const stored = await client.query<{ value: string }>(
      `SELECT "value" FROM "Setting" WHERE "key" = $1 FOR UPDATE`,
      [THROUGH_KEY],
    );
    if (stored.rows[0] && Number(stored.rows[0].value) !== position.from)
      throw new LeadershipLostError(`lines up to ${stored.rows[0].value} were correlated by another process`);
    this.localDomains = batch.localDomains;
    // Loaded at the first batch: it reads what earlier runs stored.
    if (!this.detection) {
      this.detection = await PostgresDetection.load(client, () => this.localDomains);
      await this.detection.redetectIfChanged(client, now);
    }
    const detection = this.detection;
    detection.lineEvidence(batch.lineEvidence);
    await this.mirror.load(client, batch.outputs);
    const writes: StoreWrite[] = [];
    const written = resolveOutputs(batch.outputs, this.mirror.lookup, (write) => {
      writes.push(write);
      this.mirror.apply(write);
    });
    await new PostgresJourneyWriter(client).applyAll(writes);
    detection.written(written);
    if (batch.global) await detection.recomputeGlobal(client);
    await detection.commit(client, now);
    await client.query(
      `INSERT INTO "CorrelatorState" ("id", "snapshot", "updatedAt") VALUES (1, $1, $2)
       ON CONFLICT ("id") DO UPDATE SET "snapshot" = excluded."snapshot", "updatedAt" = excluded."updatedAt"`,
      [batch.snapshot, pgTime(now)],
    );
    await client.query(
      `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ($1, $2, $3)
       ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`,
      [THROUGH_KEY, String(position.to), pgTime(now)],
    );
    await client.query(
      `INSERT INTO "Setting" ("key", "value", "updatedAt") VALUES ($1, $2, $3)
       ON CONFLICT ("key") DO UPDATE SET "value" = excluded."value", "updatedAt" = excluded."updatedAt"`,
      [UNTIL_KEY, String(position.until), pgTime(now)],
    );
    return resultOf(written);
  }

  close(): void {
    this.mirror.close();
  }
}

/** The id of the newest stored line (0 when none). */
export async function lastStoredLineId(db: pg.Pool | pg.ClientBase): Promise<number> {
  const { rows } = await db.query<{ last: number | null }>(
    `SELECT max("id" + "count") - 1 AS last FROM "LineBlock"`,
  );
  return rows[0]?.last ?? 0;
}

/** The last line id the correlating leader has committed (0 when none). */
export async function correlatedThrough(db: pg.Pool | pg.ClientBase): Promise<number> {
  const { rows } = await db.query<{ value: string }>(`SELECT "value" FROM "Setting" WHERE "key" = $1`, [
    THROUGH_KEY,
  ]);
  return rows[0] ? Number(rows[0].value) : 0;
}
