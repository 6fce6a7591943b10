import { describeTarget, resolveDatabaseTarget } from "../db/database-url.ts";

// Aggregates over hundreds of thousands of journeys take a second on a big database; the same
// numbers a few seconds old are as good for a dashboard. A result is fresh for FRESH_MS; after
// that the old one is still served (up to STALE_MS) while a single refresh runs in the background.
// The dashboard's own writes (acknowledge, mute) clear everything at once.

const FRESH_MS = 15_000;
const STALE_MS = 10 * 60_000;
const MAX_ENTRIES = 200;

type Entry = { value?: unknown; at: number; refreshing?: Promise<unknown> };
const globalStore = globalThis as unknown as { spamtrailReadCache?: Map<string, Entry> };
if (!globalStore.spamtrailReadCache) globalStore.spamtrailReadCache = new Map();
const store: Map<string, Entry> = globalStore.spamtrailReadCache;

export type Cached<T> = { value: T; at: Date };

function refresh<T>(key: string, read: () => Promise<T>): Promise<T> {
  const entry = store.get(key) ?? { at: 0 };
  const running = entry.refreshing as Promise<T> | undefined;
  if (running) return running;
  const promise = read().then(
    (value) => {
      store.delete(key);
      store.set(key, { value, at: Date.now() });
      while (store.size > MAX_ENTRIES) store.delete(store.keys().next().value as string);
      return value;
    },
    (error: unknown) => {
      const current = store.get(key);
      if (current) delete current.refreshing;
      throw error;
    },
  );
  store.set(key, { ...entry, refreshing: promise });
  return promise;
}

/** `read()`, remembered per key and database for a few seconds (stale-while-revalidate). */
export async function cachedRead<T>(
  key: string,
  read: () => Promise<T>,
  now = Date.now(),
): Promise<Cached<T>> {
  const full = `${describeTarget(resolveDatabaseTarget())}\u0000${key}`;
  const entry = store.get(full);
  if (entry && "value" in entry) {
    const age = now - entry.at;
    if (age < FRESH_MS) return { value: entry.value as T, at: new Date(entry.at) };
    if (age < STALE_MS) {
      refresh(full, read).catch((error: unknown) =>
        console.error(`spamtrail: refreshing ${key} failed:`, error),
      );
      return { value: entry.value as T, at: new Date(entry.at) };
    }
  }
  const value = await refresh(full, read);
  return { value, at: new Date(store.get(full)?.at ?? now) };
}

/** Forgets every remembered result (after the dashboard changed something). */
export function invalidateReads(): void {
  store.clear();
}
