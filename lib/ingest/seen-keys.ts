import type { IdentityHash } from "./line-key.ts";

// Seconds of line keys kept in memory behind the newest (lines of merged files arrive this much out of order).
const WINDOW_SECONDS = 120;

type Second = { hashes: Map<number, number | number[]>; batch: number };

/**
 * Tells whether a line key is new, without a database lookup per line: the keys this run produced
 * are kept in memory for the last seconds and until their batch is committed; older seconds, and
 * the seconds an earlier run may have stored lines in, are asked of the store.
 */
export class SeenKeys {
  private readonly seconds = new Map<number, Second>();
  private newest = Number.NEGATIVE_INFINITY;
  // Keys of seconds at or before this may be in the store.
  private storeUpTo: number;
  private lastSecond = Number.NaN;
  private lastEntry: Second | undefined;

  constructor(
    newestStoredSecond: number,
    private readonly isStored: (second: number, hash: IdentityHash) => boolean,
  ) {
    this.storeUpTo = newestStoredSecond;
  }

  /** Records a key seen in batch `batch`; true when no line with it was stored or seen before. */
  add(second: number, hash: IdentityHash, batch: number): boolean {
    let entry = second === this.lastSecond ? this.lastEntry : this.seconds.get(second);
    const lows = entry?.hashes.get(hash.high);
    if (lows === hash.low || (Array.isArray(lows) && lows.includes(hash.low))) return false;
    if (second <= this.storeUpTo && this.isStored(second, hash)) return false;
    if (!entry) {
      entry = { hashes: new Map(), batch };
      this.seconds.set(second, entry);
      if (second > this.newest) this.newest = second;
    }
    if (lows === undefined) entry.hashes.set(hash.high, hash.low);
    else if (Array.isArray(lows)) lows.push(hash.low);
    else entry.hashes.set(hash.high, [lows, hash.low]);
    entry.batch = batch;
    this.lastSecond = second;
    this.lastEntry = entry;
    return true;
  }

  /** Batches up to `batch` are committed: their keys older than the window are left to the store. */
  committed(batch: number): void {
    const limit = this.newest - WINDOW_SECONDS;
    for (const [second, entry] of this.seconds) {
      if (second >= limit || entry.batch > batch) continue;
      this.seconds.delete(second);
      if (second === this.lastSecond) this.lastSecond = Number.NaN;
      if (second > this.storeUpTo) this.storeUpTo = second;
    }
  }
}
