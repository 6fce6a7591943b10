import type { CorrelatorSnapshot } from "../correlate/correlator.ts";
import type { Db } from "../db/connection.ts";

/** The correlator's open state from the last run, if any. */
export function loadCorrelatorState(db: Db): CorrelatorSnapshot | undefined {
  const row = db.prepare(`SELECT snapshot FROM CorrelatorState WHERE id = 1`).get() as
    | { snapshot: string }
    | undefined;
  return row ? (JSON.parse(row.snapshot) as CorrelatorSnapshot) : undefined;
}

/** Saves the correlator's open state, in the transaction that stores the lines it has seen. */
export function correlatorStateSaver(db: Db): (snapshotJson: string, now: number) => void {
  const upsert = db.prepare(
    `INSERT INTO CorrelatorState (id, snapshot, updatedAt) VALUES (1, ?, ?)
     ON CONFLICT (id) DO UPDATE SET snapshot = excluded.snapshot, updatedAt = excluded.updatedAt`,
  );
  return (snapshotJson, now) => {
    upsert.run(snapshotJson, now);
  };
}
