// How far back (seconds) a line may be out of order and still be counted with its twins.
const WINDOW_SECONDS = 60;

/** The repeat counts of one second, saved with a source so that the next file of its stream continues them. */
export type RepeatSnapshot = { second: number; counts: [number, number][] };

/** A line's identity hashed to 64 bits (two 32-bit halves). */
export type IdentityHash = { high: number; low: number };

/**
 * Counts identical lines within the same second of one log stream (a file and its rotations), so
 * that two real occurrences of the same text (`lmtp(29272): Connect from local` twice in one
 * second) get different keys, while the same line read again — a re-run, a rotated copy, the
 * same event in another file such as /var/log/syslog — gets the same key.
 */
export class RepeatCounter {
  private readonly seconds = new Map<number, Map<number, number>>();
  private newest = Number.NEGATIVE_INFINITY;
  // Consecutive lines mostly share their second: the last one looked up is kept at hand.
  private lastSecond = Number.NaN;
  private lastCounts = new Map<number, number>();

  constructor(snapshot?: RepeatSnapshot | null) {
    if (snapshot) {
      this.seconds.set(snapshot.second, new Map(snapshot.counts));
      this.newest = snapshot.second;
    }
  }

  /** Returns how many times this identity was already seen in its second (0 the first time). */
  next(hash: IdentityHash, second: number): number {
    let counts = second === this.lastSecond ? this.lastCounts : this.seconds.get(second);
    if (!counts) {
      counts = new Map();
      this.seconds.set(second, counts);
      if (second > this.newest) {
        this.newest = second;
        for (const old of this.seconds.keys()) if (old < second - WINDOW_SECONDS) this.seconds.delete(old);
      }
    }
    this.lastSecond = second;
    this.lastCounts = counts;
    // 53 of the 64 bits are plenty to tell the lines of one second apart.
    const id = hash.high * 2_097_152 + (hash.low >>> 11);
    const seen = counts.get(id) ?? 0;
    counts.set(id, seen + 1);
    return seen;
  }

  snapshot(): RepeatSnapshot | null {
    const counts = this.seconds.get(this.newest);
    return counts ? { second: this.newest, counts: [...counts] } : null;
  }
}

/**
 * NOTE: persisted through LineKey.key. A 64-bit string hash (cyrb53's mixing, two 32-bit lanes):
 * three times faster than sha1 here, and the key's time prefix means only lines of the same second
 * could ever collide.
 */
export function identityHash(identity: string): IdentityHash {
  let h1 = 0xdeadbeef ^ identity.length;
  let h2 = 0x41c6ce57 ^ identity.length;
  for (let i = 0; i < identity.length; i++) {
    const ch = identity.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  h1 ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  h2 ^= Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return { high: h1 >>> 0, low: h2 >>> 0 };
}

/** The hash a line's key holds: its identity's, or for the n-th twin in its second, that of the identity with `#n`. */
export function keyHash(identity: string, hash: IdentityHash, repeat: number): IdentityHash {
  return repeat === 0 ? hash : identityHash(`${identity}\u001f#${repeat}`);
}

/**
 * NOTE: persisted (LineKey.key): the line's second (4 bytes, big-endian) then the 8 bytes of its
 * key hash. The time prefix keeps the key table append-mostly (random keys made bulk inserts 2.5x
 * slower) and lets retention delete by time.
 */
export function writeLineKey(target: Uint8Array, offset: number, second: number, hash: IdentityHash): void {
  writeUint32(target, offset, Math.max(0, Math.min(second, 0xffffffff)));
  writeUint32(target, offset + 4, hash.high);
  writeUint32(target, offset + 8, hash.low);
}

function writeUint32(target: Uint8Array, offset: number, value: number): void {
  target[offset] = value >>> 24;
  target[offset + 1] = (value >>> 16) & 0xff;
  target[offset + 2] = (value >>> 8) & 0xff;
  target[offset + 3] = value & 0xff;
}
