import { hash } from "node:crypto";

// How far back (seconds) a line may be out of order and still be counted with its twins.
const WINDOW_SECONDS = 60;

/** The repeat counts of one second, saved with a source so that the next file of its stream continues them. */
export type RepeatSnapshot = { second: number; counts: [string, number][] };

/**
 * Counts identical lines within the same second of one log stream (a file and its rotations), so
 * that two real occurrences of the same text (`lmtp(29272): Connect from local` twice in one
 * second) get different keys, while the same line read again — a re-run, a rotated copy, the
 * same event in another file such as /var/log/syslog — gets the same key.
 */
export class RepeatCounter {
  private readonly seconds = new Map<number, Map<string, number>>();
  private newest = Number.NEGATIVE_INFINITY;

  constructor(snapshot?: RepeatSnapshot | null) {
    if (snapshot) {
      this.seconds.set(snapshot.second, new Map(snapshot.counts));
      this.newest = snapshot.second;
    }
  }

  /** Returns how many times this identity was already seen in its second (0 the first time). */
  next(identityHash: string, second: number): number {
    let counts = this.seconds.get(second);
    if (!counts) {
      counts = new Map();
      this.seconds.set(second, counts);
      if (second > this.newest) {
        this.newest = second;
        for (const old of this.seconds.keys()) if (old < second - WINDOW_SECONDS) this.seconds.delete(old);
      }
    }
    const seen = counts.get(identityHash) ?? 0;
    counts.set(identityHash, seen + 1);
    return seen;
  }

  snapshot(): RepeatSnapshot | null {
    const counts = this.seconds.get(this.newest);
    return counts ? { second: this.newest, counts: [...counts] } : null;
  }
}

/** Hash of a line's identity (what makes two lines "the same line"). */
export function identityHash(identity: string): Buffer {
  return hash("sha1", identity, "buffer");
}

/**
 * NOTE: persisted (Line.key): the line's second (4 bytes, big-endian) then 8 bytes of
 * sha1(identity), or of sha1(identity)+repeat for the 2nd, 3rd… twin. The time prefix keeps the
 * unique index append-mostly: random keys made bulk inserts 2.5x slower.
 */
export function lineKey(identityDigest: Buffer, repeat: number, second: number): Buffer {
  const key = Buffer.allocUnsafe(12);
  key.writeUInt32BE(Math.max(0, Math.min(second, 0xffffffff)), 0);
  const digest =
    repeat === 0
      ? identityDigest
      : hash("sha1", Buffer.concat([identityDigest, Buffer.from(`#${repeat}`)]), "buffer");
  digest.copy(key, 4, 0, 8);
  return key;
}
